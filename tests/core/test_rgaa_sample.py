"""What the RGAA self-audit (sonar/core/rgaa-4.1.yaml) says was checked in the HTML of every
page of its sample: a criterion marked "conforme" or "non applicable" with this file as its
method fails here when a page stops meeting it."""

import re
from html.parser import HTMLParser

import pytest

from sonar.core import accessibility as rgaa

SAMPLE = [page["adresse"] for page in rgaa.read().sample]
ENGLISH = ["/en/", "/en/map/resources/", "/en/accessibility/"]


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []  # (tag, attrs, depth of header)
        self.title = ""
        self._in_title = False
        self.header_depth = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs), self.header_depth > 0))
        if tag == "header" and not self.header_depth:
            self.header_depth = 1
        elif self.header_depth and tag == "header":
            self.header_depth += 1
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "header" and self.header_depth:
            self.header_depth -= 1
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def named(self, *names):
        return [(tag, attrs) for tag, attrs, _ in self.tags if tag in names]


@pytest.fixture
def pages(client, reference_content):
    def get(path):
        response = client.get(path)
        assert response.status_code == 200, path
        parsed = Tags()
        html = response.content.decode()
        parsed.feed(html)
        return html, parsed

    return get


@pytest.mark.parametrize("path", SAMPLE + ENGLISH)
def test_each_page_has_a_doctype_a_language_and_a_title(pages, path):  # 8.1, 8.3, 8.4, 8.5
    html, page = pages(path)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert page.named("html")[0][1].get("lang") == ("en" if path.startswith("/en/") else "fr")
    assert page.title.strip()


@pytest.mark.parametrize("path", SAMPLE)
def test_no_frame_no_media_no_new_window(pages, path):  # 2.x, 4.x, 13.2
    html, page = pages(path)
    assert not page.named("iframe", "frame", "video", "audio", "embed", "object", "marquee")
    assert not [a for _, a in page.named("a", "form") if a.get("target")]
    assert "window.open" not in html


@pytest.mark.parametrize("path", SAMPLE)
def test_presentation_lives_in_the_stylesheets(pages, path):  # 10.1
    _html, page = pages(path)
    assert not page.named("font", "center", "big", "strike", "tt", "u", "blink")
    presentational = {"align", "bgcolor", "border", "color", "valign", "hspace", "vspace"}
    for tag, attrs in page.named(*{t for t, _, _ in page.tags}):
        assert not presentational & set(attrs) - ({"border"} if tag == "img" else set()), tag


@pytest.mark.parametrize("path", SAMPLE)
def test_the_regions_and_two_ways_to_navigate_are_on_every_page(pages, path):
    # 9.2, 12.1, 12.2, 12.5, 12.6, 12.7
    html, page = pages(path)
    first_link = page.named("a")[0][1]
    main_id = page.named("main")[0][1].get("id")
    assert main_id and first_link.get("href") == f"#{main_id}"
    if re.search(r'<body[^>]*class="bare', html):
        # A workshop's screens (joining, the phone, the projector) have no site header, menu
        # or footer on purpose, so that nobody drifts off mid-session: their main zone only.
        assert not page.named("nav")
        return
    for region in ("header", "nav", "main", "footer"):
        assert page.named(region), region
    in_header = [(tag, attrs) for tag, attrs, inside in page.tags if inside]
    assert any(tag == "nav" for tag, _ in in_header), "menu outside the header"
    assert any(
        (tag == "form" and attrs.get("role") == "search") or tag == "search"
        for tag, attrs in in_header
    ) or re.search(r'<form[^>]*action="/(en/)?(recherche|search)/"', html), "no search form"


@pytest.mark.parametrize("path", SAMPLE)
def test_no_layout_table(pages, path):  # 5.3, 5.8
    html, _page = pages(path)
    for table in re.findall(r"<table.*?</table>", html, re.S):
        assert "<th" in table, "a table without header cells"
