from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "sonar.workshops"
    verbose_name = _("Ateliers")

    def ready(self):
        from sonar.accounts import sections

        sections.register("workshops/_account_section.html")
