"""Glossary terms in resource and case texts open their definition in place."""

import html as htmllib
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from sonar.atlas.templatetags.glossary import Linker, gloss, gloss_inline
from tests.atlas.conftest import make_resource, make_term


def term(slug, label, definition="Définition."):
    return SimpleNamespace(
        slug=slug,
        term=label,
        definition=definition,
        get_absolute_url=lambda: f"/glossaire/{slug}/",
    )


GLOSSARY = [
    term("design", "Design"),
    term("design-thinking", "Design thinking"),
    term("maitrise-d-usage", "Maîtrise d’usage"),
    term("capacitation", "Capacitation (empowerment)"),
]


def linked(text, terms=GLOSSARY):
    html = str(gloss(text, Linker(terms)))
    found = [htmllib.unescape(t) for t in re.findall(r"<summary>(.*?)</summary>", html)]
    return found, html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le design des services.", ["design"]),
        ("Le DESIGN des services.", ["DESIGN"]),
        ("Un atelier de design thinking, puis du design.", ["design thinking", "design"]),
        ("Ils pratiquent la maitrise d'usage.", ["maitrise d'usage"]),
        ("La MAÎTRISE D’USAGE.", ["MAÎTRISE D’USAGE"]),
        ("La capacitation des habitants.", ["capacitation"]),
        ("Les designers et le redesign.", []),
        ("Design, design et encore design.", ["Design"]),
    ],
)
def test_terms_are_found_whole_ignoring_case_and_accents_longest_first_once(text, expected):
    assert linked(text)[0] == expected


def test_a_term_is_disclosed_once_per_page_across_texts():
    linker = Linker(GLOSSARY)
    first = str(gloss("Le design.", linker))
    second = str(gloss("Encore le design.", linker))
    assert "<details" in first and "<details" not in second


def test_the_disclosure_holds_the_definition_and_a_link_to_the_term_page():
    _found, html = linked("Le design.", [term("design", "Design", "Concevoir avec soin.")])
    assert '<details class="gloss"><summary>design</summary>' in html
    assert "Concevoir avec soin." in html
    assert 'href="/glossaire/design/"' in html


def test_paragraphs_are_divs_so_the_disclosure_is_valid_html():
    _found, html = linked("Premier design.\n\nSecond paragraphe.")
    assert html.count('<div class="para">') == 2
    assert "<p" not in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('design')</script> du design",
        "Le design <b>gras</b> & <script>x()</script>",
    ],
)
def test_text_around_and_inside_terms_stays_escaped(text):
    _found, html = linked(text)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


def test_a_definition_with_markup_stays_escaped():
    _found, html = linked("Le design.", [term("design", "Design", "<img src=x onerror=alert(1)>")])
    assert "<img" not in html and "&lt;img" in html


def test_a_list_item_gets_its_terms_without_a_wrapper():
    html = str(gloss_inline("Lancez un design thinking.", Linker(GLOSSARY)))
    assert html.startswith("Lancez un <details") and "<div" not in html


def test_a_resource_page_discloses_terms_but_not_its_own(client, db):
    own = make_resource("design-x", title_fr="Design X", description_fr="Le design et le nudge.")
    make_term("design", "Design", resource=own)
    make_term("nudge", "Nudge", "Un coup de pouce.")
    html = client.get(reverse("atlas:resource", args=["design-x"])).content.decode()
    assert "<summary>nudge</summary>" in html
    assert "<summary>design</summary>" not in html


def test_a_script_in_a_resource_text_is_shown_escaped(client, db):
    make_term("nudge", "Nudge")
    make_resource("piege", description_fr="<script>alert(1)</script> un nudge")
    html = client.get(reverse("atlas:resource", args=["piege"])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; un <details" in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The page's own term is found whole, and not split into a shorter one.
        ("Le design thinking, puis le design.", ["design"]),
        ("Un atelier de Design Thinking.", []),
    ],
)
def test_no_shorter_term_is_linked_inside_the_pages_own_term(text, expected):
    html = str(gloss(text, Linker(GLOSSARY, skip={"design-thinking"})))
    found = [htmllib.unescape(t) for t in re.findall(r"<summary>(.*?)</summary>", html)]
    assert found == expected
    assert ">thinking" not in html and "</details> thinking" not in html.lower()


def test_no_term_is_linked_inside_a_resources_title():
    linker = Linker(GLOSSARY, names=["Design fiction", "Design des politiques publiques"])
    html = str(gloss("Le design fiction, le design des politiques publiques, le design.", linker))
    found = [htmllib.unescape(t) for t in re.findall(r"<summary>(.*?)</summary>", html)]
    assert found == ["design"]
    assert "Le design fiction, le design des politiques publiques, le " in html


def test_a_term_that_is_also_a_title_is_still_linked():
    linker = Linker(GLOSSARY, names=["Design thinking"])
    html = str(gloss("Un atelier de design thinking.", linker))
    assert "<summary>design thinking</summary>" in html


HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)


def test_the_design_thinking_page_never_splits_its_own_name(client, db):
    own = make_resource(
        "design-thinking",
        title_fr="Design thinking",
        description_fr="Le design thinking emprunte au design ses manières de faire.",
    )
    make_term("design-thinking", "Design thinking", resource=own)
    make_term("design", "Design")
    make_resource("design-fiction", title_fr="Design fiction", description_fr="Du design fiction.")
    html = client.get(reverse("atlas:resource", args=["design-thinking"])).content.decode()
    assert re.findall(r"<summary>(.*?)</summary>", html) == ["design"]
    assert "Le design thinking emprunte au <details" in html
    other = client.get(reverse("atlas:resource", args=["design-fiction"])).content.decode()
    assert "<summary>" not in other.split("Du design fiction")[0][-20:]
    assert "Du design fiction." in other
    for page in (html, other):
        for _level, inside in HEADING.findall(page):
            assert "gloss" not in inside
