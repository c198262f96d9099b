"""The map's pages. Each list is owned by one module of the app; all share the "atlas" names."""

from django.urls import path

from sonar.atlas import views, views_finder, views_map
from sonar.atlas.search import views as search_views

app_name = "atlas"

# Catalogue, resource, glossary and case pages (views.py).
catalogue_patterns = [
    path("carte/ressources/", views.catalogue, name="catalogue"),
    path("carte/ressources/<slug:slug>/", views.resource, name="resource"),
    path("glossaire/", views.glossary, name="glossary"),
    path("glossaire/<slug:slug>/", views.term, name="term"),
    path("cas/", views.cases, name="cases"),
    path("cas/<slug:slug>/", views.case, name="case"),
]

# The sea chart (seachart.py and views_map.py).
map_patterns = [path("carte/", views_map.sea_chart, name="map")]

# The method finder (finder.py and views_finder.py).
finder_patterns = [path("carte/trouver/", views_finder.finder_page, name="finder")]

# Search (search/).
search_patterns = [path("recherche/", search_views.search_page, name="search")]

urlpatterns = catalogue_patterns + map_patterns + finder_patterns + search_patterns
