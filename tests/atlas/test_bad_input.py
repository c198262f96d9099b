"""A visitor (or a robot) sends the map's pages what they do not expect: a clear answer, no 500."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("reference_content")


@pytest.mark.parametrize("method", ["options", "trace", "put", "delete", "patch"])
def test_the_sea_chart_refuses_a_method_it_does_not_serve(client, method):
    # CSRF is not enforced by the test client, so the method check is what answers.
    response = client.generic(method.upper(), reverse("atlas:map"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "Méthode non permise" in response.content.decode()


def test_a_form_posted_to_the_sea_chart_is_refused_instead_of_drawing_the_chart(client):
    response = client.post(reverse("atlas:map"), {"vision": "art"})
    assert response.status_code == 405


def test_the_api_refuses_an_unknown_filter_without_claiming_to_ignore_it(client):
    body = client.get("/api/v1/resources?vision=magie").json()
    assert body["error"] == "Filtre inconnu : vision = « magie »."


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("99999", "« 99999 » dépasse la dernière page de cette liste."),
        ("9" * 5000, f"« {'9' * 5000} » dépasse la dernière page de cette liste."),
        ("-1", "« -1 » n’est pas une page de cette liste : les pages commencent à 1."),
        ("00", "« 00 » n’est pas une page de cette liste : les pages commencent à 1."),
    ],
    ids=["past-the-end", "five-thousand-digits", "negative", "zero"],
)
@pytest.mark.parametrize("path", ["/api/v1/resources", "/api/v1/glossary", "/api/v1/cases"])
def test_the_api_says_why_a_page_number_is_refused(client, path, page, message):
    response = client.get(f"{path}?page={page}")
    assert response.status_code == 400
    assert response.json()["fields"]["page"] == message


@pytest.mark.parametrize("raw", ["%00design", "design%00", "de%01%1Fsign%7F", "%09design%0A"])
def test_a_search_with_control_characters_shows_the_query_without_them(client, raw):
    response = client.get(reverse("atlas:search") + "?q=" + raw, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "design" in html
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in html)
    assert "\x7f" not in html


@pytest.mark.parametrize("url", ["atlas:catalogue", "atlas:map"])
def test_an_unknown_filter_is_quoted_back_without_control_characters_and_cut(client, url):
    response = client.get(reverse(url) + "?vision=%00" + "x" * 10_000, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "\x00" not in html
    notice = re.search(r'role="status">(.*?)</div>', html, flags=re.S).group(1)
    assert "x" * 58 + "…" in notice
    assert "x" * 100 not in notice


def test_the_sea_chart_names_only_the_first_twenty_unknown_parameters(client):
    query = "&".join(f"p{n}=1" for n in range(1000))
    html = client.get(reverse("atlas:map") + "?" + query).content.decode()
    assert "<code>p19</code>" in html
    assert "<code>p20</code>" not in html
    assert "<code>…</code>" in html
