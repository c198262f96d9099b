"""The map's pages. Each list is owned by one module of the app; all share the "atlas" names."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sonar.atlas import views, views_finder, views_map
from sonar.atlas.search import views as search_views

app_name = "atlas"

# Catalogue, resource, glossary and case pages (views.py).
catalogue_patterns = [
    path(_("carte/ressources/"), views.catalogue, name="catalogue"),
    path(_("carte/ressources/<slug:slug>/"), views.resource, name="resource"),
    path(_("glossaire/"), views.glossary, name="glossary"),
    path(_("glossaire/<slug:slug>/"), views.term, name="term"),
    path(_("cas/"), views.cases, name="cases"),
    path(_("cas/<slug:slug>/"), views.case, name="case"),
]

# The sea chart (seachart.py and views_map.py).
map_patterns = [path(_("carte/"), views_map.sea_chart, name="map")]

# The method finder (finder.py and views_finder.py).
finder_patterns = [path(_("carte/trouver/"), views_finder.finder_page, name="finder")]

# Search (search/).
search_patterns = [path(_("recherche/"), search_views.search_page, name="search")]

urlpatterns = catalogue_patterns + map_patterns + finder_patterns + search_patterns
