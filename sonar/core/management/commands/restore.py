from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sonar.core import backup
from sonar.core.management.commands._base import SonarCommand


class Command(SonarCommand):
    help = gettext_lazy(
        "Remplace toute la base de données par la sauvegarde FICHIER, après l’avoir vérifiée. "
        "Une sauvegarde douteuse est refusée ; une restauration aboutit entièrement ou pas du tout."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FICHIER", help=gettext_lazy("sauvegarde à restaurer"))
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=gettext_lazy("ne demande pas de confirmation"),
        )

    def handle(self, *args, file, interactive=True, **options):
        try:
            backup.verify(file)
            if interactive and not self.confirm(file):
                raise CommandError(_("Restauration annulée : rien n’a changé."))
            backup.restore(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Base restaurée depuis %(file)s.") % {"file": file})
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "La sauvegarde vient d’une version antérieure de Sonar : "
                        "lancez « sonar migrate » avant de servir le site."
                    )
                )
            )

    def confirm(self, file):
        answer = input(
            _(
                "Toutes les données actuelles seront remplacées par celles de %(file)s. "
                "Tapez « oui » pour continuer : "
            )
            % {"file": file}
        )
        return answer.strip().lower() == _("oui")
