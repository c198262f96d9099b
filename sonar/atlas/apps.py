from django.apps import AppConfig


class AtlasConfig(AppConfig):
    name = "sonar.atlas"
    label = "atlas"
    verbose_name = "Carte de survie"

    def ready(self):
        # Every write of searchable content rewrites its entries through this index (models
        # never import search); a flushed database leaves no search row behind (signals).
        from sonar.atlas.models import Indexed
        from sonar.atlas.search import index, signals  # noqa: F401

        Indexed.search_index = index
