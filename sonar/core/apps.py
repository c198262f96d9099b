from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sonar.core"
    label = "core"
    verbose_name = "Sonar"
