import pytest

from tests.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "path", ["/", "/en/", "/a-propos/", "/accessibilite/", "/confidentialite/", "/mentions-legales/"]
)
def test_page_passes_the_rgaa_rules(page, path):
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)


def test_unknown_page_is_a_french_404_that_passes_the_rgaa_rules(page):
    response = page.goto("/nulle-part/")
    assert response.status == 404
    assert "Page introuvable" in page.text_content("h1")
    assert_accessible(page)
