"""The `sonar` command: what a person who runs Sonar needs, in plain words.

Each sub-command is a Django management command (also reachable through manage.py); this
module only gives them friendly names and a French help, and works from any directory.
"""

import os
import sys

from django.utils.translation import gettext_lazy as _

# sub-command: (management command, what it does)
COMMANDS = {
    "serve": (
        "serve",
        _("Sert le site (http://127.0.0.1:8000 ; HOST et PORT changent l’adresse)."),
    ),
    "migrate": ("migrate", _("Crée ou met à jour les tables de la base de données.")),
    "load-content": (
        "load_content",
        _("Charge le contenu de référence (dossier content/) dans la base, après l’avoir vérifié."),
    ),
    "export": (
        "export",
        _("Écrit le catalogue en données ouvertes (JSON et CSV, Licence Ouverte 2.0)."),
    ),
    "backup": ("backup", _("Sauvegarde la base de données dans un fichier, sans arrêter le site.")),
    "restore": (
        "restore",
        _("Remplace la base de données par une sauvegarde, après vérification."),
    ),
    "purge": (
        "purge",
        _("Efface les réponses détaillées des ateliers trop anciens ; les totaux restent."),
    ),
}


def usage():
    width = max(len(name) for name in COMMANDS) + 2
    lines = [
        str(_("Sonar : s’orienter dans l’innovation publique locale.")),
        "",
        str(_("Utilisation : sonar COMMANDE [options]")),
        "",
        str(_("Commandes :")),
    ]
    lines += [f"  {name.ljust(width)}{text}" for name, (_command, text) in COMMANDS.items()]
    lines += ["", str(_("« sonar COMMANDE --help » détaille les options d’une commande.")), ""]
    return "\n".join(lines)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonar.settings")
    if argv and argv[0] in COMMANDS:
        # Before the settings are read: a clone needs var/ and its secret key.
        from sonar import vardir

        vardir.prepare()
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        # Before Django is set up, no translation: the variable's name is what matters.
        return invalid(error)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        sys.stdout.write(usage())
        return 0 if argv else 2
    if argv[0] == "--version":
        from importlib.metadata import version

        sys.stdout.write(f"sonar {version('sonar')}\n")
        return 0
    if argv[0] not in COMMANDS:
        sys.stderr.write(
            str(_("« %(name)s » n’est pas une commande de Sonar.")) % {"name": argv[0]}
            + "\n\n"
            + usage()
        )
        return 2
    return run(argv[0], argv[1:])


def invalid(error):
    """A malformed variable, named in a plain line rather than a traceback (in English too:
    the settings are read before any translation)."""
    sys.stderr.write(f"Configuration invalide (invalid configuration): {error}\n")
    return 2


def run(name, args):
    """Run one management command as `sonar NAME ARGS`, as manage.py would, but with our name
    in its help and errors printed as plain sentences."""
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import get_commands, load_command_class
    from django.core.management.base import CommandError

    command_name = COMMANDS[name][0]
    command = load_command_class(get_commands()[command_name], command_name)
    # Bad options print the command's usage and exit 2, as on any command line.
    command._called_from_command_line = True
    try:
        parser = command.create_parser("sonar", name)
    except ImproperlyConfigured as error:  # a default read from the environment (PORT…)
        return invalid(error)
    options = vars(parser.parse_args(args))
    positional = options.pop("args", ())
    try:
        command.execute(*positional, **options)
    except CommandError as exc:
        command.stderr.write(str(exc))
        return exc.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
