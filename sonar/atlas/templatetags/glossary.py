"""Glossary linking: a term of the trade, where it first appears, opens its definition in place.

Design (valid HTML, keyboard and screen reader first, no JavaScript, never hover-only):

- The first occurrence of each glossary term in the page's texts becomes the `<summary>` of an
  inline `<details class="gloss">`. The word stays where it is in the sentence; Tab reaches it,
  Enter or Space opens it, and a screen reader announces it as a collapsed disclosure. Opened,
  it shows the definition right below the line, with a link to the term's glossary page.
- `<details>` is flow content and may not sit in a `<p>`, so texts are rendered as
  `<div class="para">` blocks (a blank line in the text starts a new block, a single line break
  gives a `<br>`). In a list item the text goes straight into the `<li>`.
- Matching ignores case and accents ("Capacitation" finds "capacitation"; "maitrise d'usage"
  finds "maîtrise d’usage"), only takes whole words, tries the longest terms first ("design
  thinking" before "design"), and links each term once per page: a term found inside a longer
  one that was already linked is left alone, so a link never sits inside another. The longest
  match wins even when it is not linked: a term skipped on its own page ("design thinking" on
  the resource Design thinking) or a resource's title ("Design fiction") is found whole, and
  no shorter term ("design") is linked inside it.
- Only the texts of a page are linked, never a heading (h1–h6): the filters below are for
  paragraphs and list items (tests/atlas/test_glossary_linking.py checks every reading page).
- Everything from the text and the definitions is escaped; only the markup built here is marked
  safe.

In a template: `{% load glossary %}` then `{{ resource.description|gloss:glossary }}`, where
`glossary` is a `Linker` the view made for the page (it remembers what it has linked).
"""

import re
import unicodedata
from functools import lru_cache

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "\u00a0": " ", "\u202f": " "})


def fold(text):
    """Lower case without accents, one character for one, so positions stay those of `text`."""
    folded = []
    for char in text.translate(APOSTROPHES):
        base = unicodedata.normalize("NFD", char)[0]
        folded.append(base.lower() if len(base.lower()) == 1 else char)
    return "".join(folded)


def variants(label):
    """The forms a term is found under: its label, and its label without a bracketed gloss
    ("Capacitation (empowerment)" is also found as "Capacitation")."""
    forms = {label.strip()}
    bare = re.sub(r"\s*\(.*?\)\s*", " ", label).strip()
    if bare:
        forms.add(bare)
    return {fold(f) for f in forms if len(f) > 1}


def _prepared(terms, skip, names=()):
    """The terms by slug, each form's term slug, and the pattern that finds the forms, longest
    first. The forms of skipped terms and `names` (the titles of resources) are found too, and
    map to None: they are never linked, and no shorter term is linked inside them ("design" is
    not linked inside "design fiction", nor inside "design thinking" on its own page)."""
    by_slug, by_form = {}, {}
    for term in terms:
        forms = variants(term.term)
        if term.slug in skip:
            for form in forms:
                by_form.setdefault(form, None)
            continue
        by_slug[term.slug] = term
        for form in forms:
            if by_form.get(form) is None:
                by_form[form] = term.slug
    for name in names:
        for form in variants(name):
            by_form.setdefault(form, None)
    forms = sorted(by_form, key=lambda f: (-len(f), f))
    pattern = (
        re.compile(r"(?<!\w)(" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")
        if any(slug is not None for slug in by_form.values())
        else None
    )
    return by_slug, by_form, pattern


def _names():
    """Titles of the resources, in every language: names that a term never splits."""
    from sonar.atlas.models import Resource

    return [
        title for pair in Resource.objects.values_list("title_fr", "title_en") for title in pair
    ]


@lru_cache(maxsize=64)
def _for_version(version, language, skip):
    from sonar.atlas.data import terms

    return _prepared(list(terms()), skip, _names())


class Linker:
    """The glossary of one page, in the active language, and the terms it has linked so far.

    `skip` names terms not to link (on a term's own resource page, the term itself); `names`
    are titles inside which no term is linked.
    """

    def __init__(self, terms, skip=(), names=()):
        self.terms, self.by_form, self.pattern = _prepared(list(terms), frozenset(skip), names)
        self.linked = set()

    @classmethod
    def for_page(cls, skip=()):
        """The linker of a page. Its terms, forms and pattern are built once per content
        version and language (they depend on nothing else), not once per request."""
        from sonar.atlas.data import terms
        from sonar.core import pagecache

        # The content version moves only while pages are kept (SONAR_PAGE_CACHE_SECONDS).
        version = pagecache.content_version() if pagecache.seconds() else None
        if version is None:
            return cls(terms(), skip=skip, names=_names())
        linker = cls.__new__(cls)
        linker.terms, linker.by_form, linker.pattern = _for_version(
            version, get_language(), frozenset(skip)
        )
        linker.linked = set()
        return linker

    def disclosure(self, term, shown):
        return format_html(
            '<details class="gloss"><summary>{}</summary>'
            '<span class="gloss__body"><span class="gloss__definition">{}</span> '
            '<a href="{}">{}</a></span></details>',
            shown,
            term.definition,
            term.get_absolute_url(),
            _("« %s » dans le glossaire") % term.term,
        )

    def link(self, text):
        """`text` escaped, with the first occurrence on this page of each term disclosed."""
        if self.pattern is None:
            return escape(text)
        parts, last = [], 0
        for match in self.pattern.finditer(fold(text)):
            slug = self.by_form[match.group(1)]
            if slug is None or slug in self.linked:
                continue
            self.linked.add(slug)
            start, end = match.span(1)
            parts.append(escape(text[last:start]))
            parts.append(self.disclosure(self.terms[slug], text[start:end]))
            last = end
        parts.append(escape(text[last:]))
        return mark_safe("".join(parts))  # noqa: S308  (every piece above is escaped)


def _blocks(text):
    return [block.strip() for block in re.split(r"\n\s*\n", str(text or "")) if block.strip()]


def _lines(linker, block):
    if linker is None:
        return mark_safe("<br>".join(escape(line) for line in block.splitlines()))  # noqa: S308
    return mark_safe("<br>".join(linker.link(line) for line in block.splitlines()))  # noqa: S308


@register.filter
def gloss(text, linker):
    """Paragraphs as `<div class="para">`, glossary terms disclosed in place."""
    return mark_safe(  # noqa: S308  (built from escaped pieces)
        "".join(f'<div class="para">{_lines(linker, block)}</div>' for block in _blocks(text))
    )


@register.filter
def gloss_inline(text, linker):
    """One line of text (a list item), glossary terms disclosed in place, no wrapper."""
    return _lines(linker, " ".join(str(text or "").split()))
