"""Lists by pages: `{"count", "next", "previous", "results"}`, `?page=` from 1.

A list operation declares `page: PageNumber = "1"` and returns `paged(request, page, items,
to_dict)`; its answer schema is `Page[Item]`. A page number that is not one, or past the end,
is a 400 that says which (never the empty page of a typo).
"""

from typing import Annotated, Generic, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.utils.translation import gettext as _
from pydantic import WithJsonSchema

from sonar.core.api import ApiError, Schema

Item = TypeVar("Item")

# Read as text: "abc" or "0" get the French 400 below, not a type error.
PageNumber = Annotated[
    str,
    WithJsonSchema(
        {
            "type": "integer",
            "minimum": 1,
            "default": 1,
            "description": "Le numéro de page, à partir de 1.",
        }
    ),
]


class Page(Schema, Generic[Item]):
    count: int = 0
    next: str | None
    previous: str | None
    results: list[Item]


def number(raw):
    """The page number `raw` names; raises ApiError when it names none."""
    raw = raw or "1"
    try:
        # A number of 5,000 digits raises ValueError too (Python's limit on str to int).
        value = int(raw)
    except ValueError:
        raise bad_page(raw) from None
    if value < 1:
        raise bad_page(raw)
    return value


def bad_page(raw):
    if raw.isascii() and raw.isdigit() and raw.strip("0"):
        # A real page number, past the end of the list: "pages start at 1" would not help.
        field = _("« %s » dépasse la dernière page de cette liste.") % raw
    else:
        field = _("« %s » n’est pas une page de cette liste : les pages commencent à 1.") % raw
    return ApiError(_("Numéro de page invalide."), 400, {"page": field})


def page_of(items, raw, size):
    """The page `raw` names of a list or a queryset; raises ApiError for a bad number."""
    try:
        return Paginator(items, size).page(number(raw))
    except InvalidPage:
        raise bad_page(raw) from None


def envelope(request, page, results):
    """The API's shape of a page: the total, links to the neighbours, the page's items."""
    return {
        "count": page.paginator.count,
        "next": _link(request, page.next_page_number()) if page.has_next() else None,
        "previous": _link(request, page.previous_page_number()) if page.has_previous() else None,
        "results": results,
    }


def _link(request, number):
    params = [(k, v) for k, values in request.GET.lists() if k != "page" for v in values]
    params.append(("page", number))
    return settings.SONAR_BASE_URL + request.path + "?" + urlencode(params)
