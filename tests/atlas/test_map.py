"""The sea chart at /carte/: nodes, filters, selection, labels that never overlap, the cache."""

import itertools
import random
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.urls import reverse

from sonar.atlas import seachart
from sonar.atlas.models import Resource
from sonar.core.actions import save_revision
from tests.atlas.conftest import make_resource, reference_resource_count

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def charts(html):
    """Each variant of the chart, parsed as XML (which fails if the SVG is not well formed)."""
    found = re.findall(r'<svg class="seachart__svg".*?</svg>', html, flags=re.S)
    assert found, "no chart on the page"
    return [ET.fromstring(svg) for svg in found]  # noqa: S314 (our own page)


def nodes(svg):
    return svg.iter(f"{SVG}a")


def drawn_slugs(html):
    return [{a.get("data-slug") for a in nodes(svg)} for svg in charts(html)]


def get(client, query=""):
    response = client.get(reverse("atlas:map") + query)
    assert response.status_code == 200
    return response.content.decode()


def synthetic_resources(count, seed=4):
    """`count` resources at seeded random positions, a third of them piled on five points."""
    rng = random.Random(seed)  # noqa: S311 (a seeded layout, not a secret)
    words = [
        "atelier",
        "données",
        "usagers",
        "lab",
        "prototype",
        "territoire",
        "citoyens",
        "design",
        "réseau",
    ]
    words += ["coopération", "expérimentation", "agents", "politique"]
    piles = [(0, 0), (-60, 40), (50, -50), (100, 100), (-100, -100)]
    visions = ["entreprise", "technologie", "democratie", "science", "art"]
    resources = []
    for i in range(count):
        focus, maturity = (
            piles[i % 5] if i % 3 == 0 else (rng.randint(-100, 100), rng.randint(-100, 100))
        )
        title = " ".join(rng.choice(words) for _ in range(rng.randint(1, 6))).capitalize()
        resources.append(
            Resource(
                slug=f"synthetique-{i}",
                kind=rng.choice(["methode", "concept", "outil", "approche", "courant"]),
                title_fr=f"{title} {i}",
                title_en=f"{title} {i}",
                summary_fr="Résumé.",
                summary_en="Summary.",
                visions=f" {' '.join(rng.sample(visions, rng.randint(1, 2)))} ",
                profiles=" usages ",
                focus=focus,
                maturity=maturity,
                combines_with=[f"synthetique-{(i + 7) % count}"],
                in_tension_with=[f"synthetique-{(i + 11) % count}"],
            )
        )
    return Resource.objects.bulk_create(resources)


@pytest.fixture(params=["reference", "synthetic-300"])
def many_resources(request, db):
    if request.param == "reference":
        request.getfixturevalue("reference_content")
        return "design-thinking"
    synthetic_resources(300)
    return "synthetique-0"


def test_every_drawn_resource_is_a_link_with_an_accessible_name(client, reference_content):
    html = get(client)
    for svg in charts(html):
        links = list(nodes(svg))
        assert len(links) == Resource.objects.count() == reference_resource_count()
        for a in links:
            resource = Resource.objects.get(slug=a.get("data-slug"))
            name = a.get("aria-label")
            assert name.startswith(resource.title_fr)
            assert resource.get_kind_display() in name
            assert "visions :" in name
            assert a.get("href") == f"/carte/?selection={resource.slug}#carte"


def test_a_node_names_its_kind_and_its_visions(client, reference_content):
    svg = charts(get(client))[0]
    a = next(a for a in nodes(svg) if a.get("data-slug") == "design-thinking")
    assert a.get("aria-label") == "Design thinking, méthode, visions : entreprise, art et création"


@pytest.mark.parametrize(
    "query, filters",
    [
        ("?vision=art", {"vision": ["art"]}),
        ("?vision=art&vision=science", {"vision": ["art", "science"]}),
        ("?kind=methode&profile=usages", {"kind": ["methode"], "profile": ["usages"]}),
        ("?focus=solution&maturity=emergente", {"focus": ["solution"], "maturity": ["emergente"]}),
    ],
)
def test_filters_restrict_the_nodes_drawn(client, reference_content, query, filters):
    expected = set(Resource.objects.filtered(**filters).values_list("slug", flat=True))
    assert 0 < len(expected) < reference_resource_count()
    for slugs in drawn_slugs(get(client, query)):
        assert slugs == expected


def test_nodes_keep_the_filters_in_their_links_and_the_list_link_has_them_too(
    client, reference_content
):
    html = get(client, "?vision=art&kind=methode")
    svg = charts(html)[0]
    assert all(
        a.get("href").startswith("/carte/?kind=methode&vision=art&selection=") for a in nodes(svg)
    )
    assert 'href="/carte/ressources/?kind=methode&amp;vision=art">Voir la liste</a>' in html


def test_a_filter_matching_nothing_says_so(client, db):
    # Its own resources, whatever the editorial content holds: each misses one filter.
    make_resource(kind="outil", visions=("art",), focus=80, maturity=0)  # not rooted
    make_resource(kind="outil", visions=("science",), focus=80, maturity=-80)  # not art
    make_resource(kind="methode", visions=("art",), focus=80, maturity=-80)  # not a tool
    html = get(client, "?vision=art&kind=outil&maturity=ancree&focus=culture")
    assert "Aucune ressource ne correspond à ces filtres." in html
    assert "Aucune ressource" not in get(client, "?vision=art&kind=outil&focus=culture")


def test_the_selection_draws_its_typed_links_and_fills_the_panel(client, reference_content):
    chosen = Resource.objects.get(slug="design-thinking")
    related = chosen.related()
    assert related["combines"] and related["tension"]
    html = get(client, "?selection=design-thinking")
    for svg in charts(html):
        lines = list(svg.iter(f"{SVG}line"))
        kinds = [line.get("class").split("--")[1] for line in lines]
        assert kinds.count("combines") == len(related["combines"])
        assert kinds.count("tension") == len(related["tension"])
        current = [a for a in nodes(svg) if a.get("aria-current") == "true"]
        assert [a.get("data-slug") for a in current] == ["design-thinking"]
    panel = html.split('class="seachart__panel"')[1]
    assert chosen.summary_fr in panel
    assert f'href="{chosen.get_absolute_url()}"' in panel
    for other in related["combines"] + related["tension"]:
        assert f'href="/carte/?selection={other.slug}#carte">{other.title_fr}</a>' in panel


def test_a_related_resource_hidden_by_the_filters_opens_the_whole_chart(client, reference_content):
    chosen = Resource.objects.get(slug="design-thinking")
    hidden = [r for r in chosen.related()["combines"] if r.kind != chosen.kind]
    assert hidden
    html = get(client, f"?kind={chosen.kind}&selection=design-thinking")
    panel = html.split('class="seachart__panel"')[1]
    assert f'href="/carte/?selection={hidden[0].slug}#carte">{hidden[0].title_fr}</a>' in panel
    assert "(hors des filtres)" in panel


def test_a_link_written_on_the_other_side_is_drawn_too(client, reference_content):
    target = Resource.objects.get(slug="hackathon")
    source = Resource.objects.exclude(slug="hackathon").first()
    source.in_tension_with = [*source.in_tension_with, "hackathon"]
    save_revision(source, "edit")
    html = get(client, "?selection=hackathon")
    panel = html.split('class="seachart__panel"')[1].split("En tension avec")[1]
    assert f"?selection={source.slug}#carte" in panel
    assert target.title_fr in html


def test_an_unknown_selection_is_ignored(client, reference_content):
    html = get(client, "?selection=nulle-part")
    assert 'aria-current="true"' not in html
    assert "Explorer la carte" in html
    assert all(len(slugs) == reference_resource_count() for slugs in drawn_slugs(html))


def test_unknown_filters_are_ignored_with_a_notice(client, reference_content):
    html = get(client, "?vision=poesie&couleur=rouge&kind=methode")
    assert "Ces filtres ne sont pas reconnus et ont été ignorés" in html
    assert "<code>vision=poesie</code>" in html
    assert "<code>couleur</code>" in html
    expected = set(Resource.objects.filtered(kind=["methode"]).values_list("slug", flat=True))
    assert drawn_slugs(html)[0] == expected


def test_the_chart_speaks_english_under_en_even_after_a_french_visit(client, reference_content):
    get(client, "?selection=design-thinking")
    html = client.get("/en/map/?selection=design-thinking").content.decode()
    assert Resource.objects.get(slug="design-thinking").summary_en in html
    chosen = Resource.objects.get(slug="accessibilite-numerique")
    assert f'aria-label="{chosen.title_en},' in html
    assert f'href="/en/map/?selection={chosen.slug}#carte"' in html


def test_the_pluridisciplinary_zone_quotes_the_journal(client, reference_content):
    html = get(client)
    assert (
        "Au milieu de ce panorama complexe apparaît un ensemble de ressources marquées par "
        "une recherche de pluridisciplinarité" in html
    )
    assert all(svg.find(f".//{SVG}ellipse") is not None for svg in charts(html))


def test_the_page_uses_no_inline_script_or_style(client, reference_content):
    html = get(client, "?selection=design-thinking")
    assert "style=" not in html
    assert "<style" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None


# Layout ------------------------------------------------------------------------------------


def boxes_overlap(a, b):
    return a.overlaps(b)


def test_labels_never_overlap(many_resources):
    data = seachart.build({}, many_resources)
    for variant in data["variants"]:
        g = variant.geometry
        labelled = [n for n in variant.nodes if n.label]
        for a, b in itertools.combinations(labelled, 2):
            assert not boxes_overlap(a.label.box, b.label.box), (a.title, b.title)
        for node in labelled:
            assert node.label.box.inside(0, 0, g.width, g.height)
        # A label shown on hover covers no label that is always shown.
        for node in variant.nodes:
            if node.hover:
                assert not any(boxes_overlap(node.hover.box, o.label.box) for o in labelled)


@pytest.mark.parametrize("geometry, least", [("wide", 44), ("narrow", 15)])
def test_most_reference_resources_carry_a_visible_label(reference_content, geometry, least):
    variant = next(v for v in seachart.build({}, "")["variants"] if v.geometry.name == geometry)
    assert sum(1 for n in variant.nodes if n.label) >= least


def test_a_label_without_room_shows_on_hover_and_keeps_its_accessible_name(client, db):
    synthetic_resources(300)
    html = get(client)
    assert 'class="seachart__hover"' in html
    hidden = [a for a in nodes(charts(html)[1]) if a.find(f"{SVG}text") is None]
    assert hidden and all(a.get("aria-label") for a in hidden)


def test_the_selection_and_its_relations_always_get_a_label(many_resources):
    data = seachart.build({}, many_resources)
    for variant in data["variants"]:
        chosen = [n for n in variant.nodes if n.selected or n.relation]
        assert len(chosen) >= 3
        assert all(n.label for n in chosen), [n.title for n in chosen if not n.label]


def test_nodes_on_the_same_spot_are_spread_so_each_can_be_clicked(many_resources):
    data = seachart.build({}, many_resources)
    for variant in data["variants"]:
        g = variant.geometry
        x0, y0, x1, y1 = g.plot
        for a, b in itertools.combinations(variant.nodes, 2):
            assert (a.x - b.x) ** 2 + (a.y - b.y) ** 2 >= (2 * g.node) ** 2, (a.title, b.title)
        assert all(x0 <= n.x <= x1 and y0 <= n.y <= y1 for n in variant.nodes)


def test_the_layout_is_deterministic(db):
    synthetic_resources(120)
    first = seachart.build({}, "synthetique-3")
    second = seachart.build({}, "synthetique-3")
    for a, b in zip(first["variants"], second["variants"], strict=True):
        assert [(n.x, n.y, n.label and n.label.box) for n in a.nodes] == [
            (n.x, n.y, n.label and n.label.box) for n in b.nodes
        ]


def test_300_resources_render_as_valid_svg_with_300_links(client, db):
    synthetic_resources(300)
    for svg in charts(get(client, "?selection=synthetique-5")):
        assert len(list(nodes(svg))) == 300


# Cache -------------------------------------------------------------------------------------


def test_a_second_visit_reuses_the_layout(client, reference_content, monkeypatch):
    get(client, "?vision=art")
    calls = []
    monkeypatch.setattr(seachart, "build", lambda *args: calls.append(args))
    get(client, "?vision=art")
    assert calls == []


def test_an_edit_to_a_resource_shows_on_the_chart_at_once(client, reference_content):
    assert "Hackathon, " in get(client)
    resource = Resource.objects.get(slug="hackathon")
    resource.title_fr = "Marathon de code"
    save_revision(resource, "edit")
    html = get(client)
    assert 'aria-label="Marathon de code, ' in html
    assert 'aria-label="Hackathon, ' not in html


def test_a_new_resource_shows_on_the_chart_at_once(client, reference_content):
    get(client)
    synthetic_resources(1)
    count = reference_resource_count() + 1
    assert all(len(slugs) == count for slugs in drawn_slugs(get(client)))
