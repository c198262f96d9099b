from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sonar.core import content
from sonar.core.management.commands._base import SonarCommand


class Command(SonarCommand):
    help = gettext_lazy(
        "Charge le contenu de référence (les fichiers YAML du dossier content/) dans la base. "
        "Tout est vérifié avant d’écrire : au moindre défaut, rien n’est écrit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext_lazy(
                "remplace aussi ce qui a été modifié dans Sonar depuis le dernier chargement"
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("vérifie et compte les changements sans rien écrire"),
        )
        parser.add_argument(
            "--directory",
            help=gettext_lazy("dossier du contenu (par défaut : content/ du projet)"),
        )

    def handle(self, *args, force=False, dry_run=False, directory=None, **options):
        directory = directory or settings.SONAR_CONTENT_DIR
        try:
            report = content.load(directory=directory, force=force, dry_run=dry_run)
        except content.ContentInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            count = len(exc.errors)
            raise CommandError(
                ngettext(
                    "Contenu invalide (%(count)d erreur) : rien n’a été écrit.",
                    "Contenu invalide (%(count)d erreurs) : rien n’a été écrit.",
                    count,
                )
                % {"count": count}
            ) from exc
        if dry_run:
            self.stdout.write(
                _("Essai à blanc de %(dir)s (rien n’a été écrit) :") % {"dir": directory}
            )
        else:
            self.stdout.write(_("Contenu chargé depuis %(dir)s :") % {"dir": directory})
        for label, value in (
            (_("fichiers lus"), report.files),
            (_("créés"), report.created),
            (_("mis à jour"), report.updated),
            (_("inchangés"), report.unchanged),
            (_("conflits"), len(report.conflicts)),
        ):
            self.stdout.write(f"  {label} : {value}")
        for conflict in report.conflicts:
            self.stdout.write(self.style.WARNING(conflict))
        if not report.changed and not report.conflicts:
            self.stdout.write(_("Rien à changer : la base est à jour."))
