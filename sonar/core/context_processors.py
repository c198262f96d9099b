from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext_lazy as _

from sonar.core import pagecache

# The header's sections, in the order of the journal's questions. A section appears once its
# app is installed and its page exists.
NAV = [
    ("quiz:start", ("style",), _("Diagnostic")),
    ("atlas:map", (), _("Carte")),
    ("atlas:glossary", (), _("Glossaire")),
    ("atlas:cases", (), _("Cas")),
    ("journeys:index", (), _("Trajectoires")),
    ("workshops:index", (), _("Ateliers")),
    ("logbook:index", (), _("Carnets")),
]


def navigation(path):
    items = []
    for name, args, label in NAV:
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            continue
        section = url.rstrip("/").rsplit("/", 1)[0] + "/" if args else url
        items.append({"url": url, "label": label, "current": path.startswith(section)})
    return items


def site(request):
    """What the layout needs on every page: navigation, the same page in the other language."""
    # Leading slashes collapsed: "/%2F%2Fevil.example/" arrives as "///evil.example/", which
    # a browser reads as another site's address (tests/security/test_open_redirect.py).
    path = "/" + escape_uri_path(request.path).lstrip("/\\")
    query = pagecache.normalised_query(request)
    if query:
        # As the page cache keys pages: the query as Django parsed it, not the raw one.
        path += "?" + query
    context = {
        "nav": navigation(request.path),
        "alternates": {code: translate_url(path, code) for code, _name in settings.LANGUAGES},
        "base_url": settings.SONAR_BASE_URL,
    }
    if getattr(request, "page_keep", False):
        # A page rendered to be kept holds a placeholder where the visitor's CSRF token goes
        # (after Django's own csrf context processor, so this one wins); each visitor served
        # gets a token of their own (sonar/core/pagecache.py).
        context["csrf_token"] = pagecache.placeholder()
    return context
