from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sonar.core import backup
from sonar.core.management.commands._base import SonarCommand


class Command(SonarCommand):
    help = gettext_lazy(
        "Sauvegarde toute la base de données dans FICHIER, sans arrêter Sonar, et écrit son "
        "empreinte dans FICHIER.sha256 pour pouvoir la vérifier avant une restauration."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FICHIER", help=gettext_lazy("fichier à écrire"))

    def handle(self, *args, file, **options):
        try:
            path = backup.backup(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Sauvegarde écrite : %(file)s (%(size)d Ko), empreinte dans %(sidecar)s.")
            % {
                "file": path,
                "size": max(1, path.stat().st_size // 1024),
                "sidecar": backup.checksum_path(path).name,
            }
        )
