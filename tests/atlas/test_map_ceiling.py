"""The sea chart past its ceiling: crowded regions drawn as numbered circles that lead to the
catalogue, every resource counted once, the selection and its links still drawn on their own."""

import itertools
import random
import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse

from sonar.atlas import seachart, seachart_layout
from sonar.atlas.models import FACETS, Resource
from tests.atlas.conftest import reference_resource_count
from tests.atlas.test_map import charts, get, synthetic_resources

SVG = "{http://www.w3.org/2000/svg}"
SELECTION = "s-7"
RELATED = {"s-11": "combines", "s-400": "combines", "s-1200": "tension"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def in_memory(count, seed=7, spread=100):
    """`count` unsaved resources at seeded positions, in title order as the chart wants them;
    `spread` < 100 packs them around the middle of the chart."""
    rng = random.Random(seed)  # noqa: S311 (a seeded layout, not a secret)
    words = ["atelier", "données", "usagers", "lab", "design", "réseau", "citoyens", "agents"]
    resources = []
    for i in range(count):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(1, 5))).capitalize()
        resources.append(
            Resource(
                slug=f"s-{i}",
                kind=rng.choice(["methode", "concept", "outil", "approche", "courant"]),
                title_fr=f"{title} {i}",
                title_en=f"{title} {i}",
                visions=f" {rng.choice(['entreprise', 'technologie', 'democratie', 'art'])} ",
                focus=rng.randint(-spread, spread),
                maturity=rng.randint(-spread, spread),
            )
        )
    return sorted(resources, key=lambda r: (r.title.casefold(), r.slug))


def lay_out(resources, selection="", related=None):
    related = related or {}

    def href(slug):
        return f"/carte/?selection={slug}#carte"

    def region_href(focus, maturity):
        return f"/carte/ressources/?focus={focus}&maturity={maturity}"

    return [
        seachart.lay_out(resources, selection, related, g, href, region_href)
        for g in seachart_layout.GEOMETRIES
    ]


@pytest.fixture(scope="module")
def crowded():
    """1,500 resources with a selection and three links: both drawings."""
    resources = in_memory(1500)
    return resources, lay_out(resources, SELECTION, RELATED)


def test_a_crowded_chart_draws_no_more_marks_than_the_ceiling(crowded):
    _resources, variants = crowded
    for variant in variants:
        assert variant.groups
        assert len(variant.nodes) + len(variant.groups) <= seachart_layout.CEILING


def test_every_resource_is_drawn_once_on_its_own_or_counted_in_one_circle(crowded):
    resources, variants = crowded
    for variant in variants:
        drawn = [n.slug for n in variant.nodes]
        drawn += [slug for group in variant.groups for slug in group.slugs]
        assert sorted(drawn) == sorted(r.slug for r in resources)


def test_a_circle_counts_the_resources_of_its_region_only(crowded):
    resources, variants = crowded
    by_slug = {r.slug: r for r in resources}
    for variant in variants:
        for group in variant.groups:
            assert group.count == len(group.slugs) > 1
            assert {seachart.AXES.region(by_slug[s]) for s in group.slugs} == {
                (group.focus, group.maturity)
            }


def test_the_selection_and_its_links_are_drawn_on_their_own_with_their_labels(crowded):
    _resources, variants = crowded
    for variant in variants:
        shown = {n.slug: n for n in variant.nodes}
        assert shown[SELECTION].selected
        assert {slug for slug in RELATED} <= set(shown)
        assert all(shown[slug].label for slug in [SELECTION, *RELATED])
        assert len(variant.links) == len(RELATED)


def test_no_label_overlaps_another_or_covers_a_node_or_a_circle(crowded):
    _resources, variants = crowded
    for variant in variants:
        g = variant.geometry
        labelled = [n for n in variant.nodes if n.label]
        for a, b in itertools.combinations(labelled, 2):
            assert not a.label.box.overlaps(b.label.box), (a.title, b.title)
        for node in labelled:
            assert node.label.box.inside(0, 0, g.width, g.height)
            for group in variant.groups:
                circle = seachart_layout.Box(
                    group.x - group.r, group.y - group.r, group.x + group.r, group.y + group.r
                )
                assert not node.label.box.overlaps(circle), (node.title, group.count)
        for group in variant.groups:
            if group.hover:
                assert not any(group.hover.box.overlaps(n.label.box) for n in labelled)


def test_nodes_keep_clear_of_the_circles_and_of_each_other(crowded):
    _resources, variants = crowded
    for variant in variants:
        g = variant.geometry
        for node, group in itertools.product(variant.nodes, variant.groups):
            assert (node.x - group.x) ** 2 + (node.y - group.y) ** 2 >= (group.r + g.node) ** 2
        for a, b in itertools.combinations(variant.nodes, 2):
            assert (a.x - b.x) ** 2 + (a.y - b.y) ** 2 >= (2 * g.node) ** 2, (a.title, b.title)
        for a, b in itertools.combinations(variant.groups, 2):
            assert (a.x - b.x) ** 2 + (a.y - b.y) ** 2 >= (a.r + b.r) ** 2


def test_ten_thousand_resources_make_nine_circles_and_the_selection():
    resources = in_memory(10_000, seed=3)
    for variant in lay_out(resources, SELECTION, RELATED):
        assert len(variant.groups) == 9
        assert {n.slug for n in variant.nodes} == {SELECTION, *RELATED}
        assert sum(group.count for group in variant.groups) == 10_000 - 1 - len(RELATED)


def test_a_region_too_crowded_for_its_room_is_grouped_below_the_ceiling():
    resources = in_memory(200, spread=30)  # all in the middle region
    assert {seachart.AXES.region(r) for r in resources} == {("mixte", "installee")}
    for variant in lay_out(resources):
        assert [(g.focus, g.maturity, g.count) for g in variant.groups] == [
            ("mixte", "installee", 200)
        ]
        assert variant.nodes == []


@pytest.mark.parametrize("count", [84, seachart_layout.CEILING])
def test_a_chart_within_its_ceiling_groups_nothing(count):
    for variant in lay_out(in_memory(count)):
        assert variant.groups == []
        assert len(variant.nodes) == count


def test_the_reference_content_is_drawn_node_by_node(client, reference_content):
    html = get(client)
    assert "seachart__group" not in html
    assert "Pour rester lisible" not in html
    assert "Cercles numérotés" not in html
    count = reference_resource_count()
    assert all(len(list(svg.iter(f"{SVG}a"))) == count for svg in charts(html))


# The page, with 1,500 resources in the database -------------------------------------------


@pytest.fixture
def many(db):
    synthetic_resources(1500)


def circles(svg):
    return [a for a in svg.iter(f"{SVG}a") if "seachart__group" in a.get("class")]


def test_each_circle_is_a_link_named_by_its_count_and_its_region(client, many):
    html = get(client, "?selection=synthetique-5")
    for svg in charts(html):
        found = circles(svg)
        assert found
        marks = list(svg.iter(f"{SVG}a"))
        assert len(marks) <= seachart_layout.CEILING
        counted = 0
        for a in found:
            count = int(a.find(f"{SVG}text").text.replace("\xa0", ""))
            counted += count
            name = a.get("aria-label")
            assert re.match(rf"{count} ressources regroupées, centre d’intérêt\xa0: .+, ", name)
            assert name.endswith("voir leur liste")
        assert counted + len(marks) - len(found) == 1500


def test_a_circle_leads_to_the_catalogue_listing_its_resources(client, many):
    chosen = Resource.objects.filtered(vision=["democratie"]).order_by("pk").first().slug
    html = get(client, f"?vision=democratie&selection={chosen}")
    data = seachart.build({"vision": ["democratie"]}, chosen)
    assert data["selection"] == chosen
    for variant, svg in zip(data["variants"], charts(html), strict=True):
        assert variant.groups
        hrefs = [a.get("href") for a in circles(svg)]
        assert hrefs == [group.href for group in variant.groups]
        for group in variant.groups:
            url = urlsplit(group.href)
            assert url.path == reverse("atlas:catalogue")
            query = parse_qs(url.query)
            assert query == {
                "vision": ["democratie"],
                "focus": [group.focus],
                "maturity": [group.maturity],
            }
            listed = set(
                Resource.objects.filtered(
                    **{f: query[f] for f in FACETS if f in query}
                ).values_list("slug", flat=True)
            )
            # The circle's resources, and those of its region drawn on their own.
            alone = {
                n.slug
                for n in variant.nodes
                if seachart.AXES.region(Resource(focus=n.focus, maturity=n.maturity))
                == (group.focus, group.maturity)
            }
            assert listed == set(group.slugs) | alone
            page = client.get(group.href).content.decode()
            assert f"Catalogue des ressources ({len(listed)} résultats)" in page


def test_the_page_says_resources_are_grouped_and_points_to_the_list(client, many):
    html = get(client, "?selection=synthetique-5")
    assert "Pour rester lisible, la carte regroupe" in html
    assert 'href="/carte/ressources/">la liste</a>' in html
    assert "Cercles numérotés" in html
    narrow = html.split("seachart__grouped--narrow")[1].split("</p>")[0]
    assert re.search(r"regroupe 1\xa0\d{3} de ses 1\xa0500 ressources", narrow)
    # The count above the chart writes the number the same way.
    assert "1\xa0500 ressources sur la carte." in html


def test_filters_that_leave_few_resources_draw_each_of_them(client, many):
    filters = {"kind": ["methode"], "vision": ["art"]}
    expected = set(Resource.objects.filtered(**filters).values_list("slug", flat=True))
    assert 0 < len(expected) < 200
    html = get(client, "?kind=methode&vision=art")
    assert "Pour rester lisible" not in html
    for svg in charts(html):
        assert not circles(svg)
        assert {a.get("data-slug") for a in svg.iter(f"{SVG}a")} == expected


def test_the_grouped_chart_is_valid_svg_without_inline_style(client, many):
    html = get(client, "?selection=synthetique-5")
    assert "style=" not in html
    for svg in re.findall(r'<svg class="seachart__svg".*?</svg>', html, flags=re.S):
        ET.fromstring(svg)  # noqa: S314 (our own page)
