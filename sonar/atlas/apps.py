from django.apps import AppConfig


class AtlasConfig(AppConfig):
    name = "sonar.atlas"
    label = "atlas"
    verbose_name = "Carte de survie"
