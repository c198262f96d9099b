from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sonar.core import opendata
from sonar.core.management.commands._base import SonarCommand


class Command(SonarCommand):
    help = gettext_lazy(
        "Écrit le catalogue en données ouvertes dans un dossier : un fichier JSON, un fichier "
        "CSV par jeu de données et leur description (datapackage.json), sous Licence Ouverte 2.0."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            default="sonar-export",
            help=gettext_lazy("dossier où écrire (par défaut : sonar-export/)"),
        )

    def handle(self, *args, directory, **options):
        written = opendata.export(directory)
        self.stdout.write(
            _("Données ouvertes écrites dans %(dir)s (%(licence)s) :")
            % {"dir": directory, "licence": opendata.LICENCE["title"]}
        )
        for path in written:
            self.stdout.write(f"  {path.name}")
