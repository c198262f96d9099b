from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogbookConfig(AppConfig):
    name = "sonar.logbook"
    verbose_name = _("Carnets de bord")

    def ready(self):
        from sonar.accounts import departures, sections
        from sonar.logbook import departure

        sections.register("logbook/_account_section.html")
        departures.register(departure)
