"""The map's pages. Each list is owned by one module of the app; all share the "atlas" names."""

from django.urls import path  # noqa: F401  (used as the lists fill)

app_name = "atlas"

# Catalogue, resource, glossary and case pages (views.py).
catalogue_patterns = []

# The sea chart (seachart.py and views_map.py).
map_patterns = []

# Search (search/).
search_patterns = []

urlpatterns = catalogue_patterns + map_patterns + search_patterns
