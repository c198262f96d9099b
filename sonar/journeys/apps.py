from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneysConfig(AppConfig):
    name = "sonar.journeys"
    verbose_name = _("Trajectoires")
