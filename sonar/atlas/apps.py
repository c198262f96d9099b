from django.apps import AppConfig


class AtlasConfig(AppConfig):
    name = "sonar.atlas"
    label = "atlas"
    verbose_name = "Carte de survie"

    def ready(self):
        # The search index follows every save and delete of the content it copies.
        from sonar.atlas.search import signals  # noqa: F401
