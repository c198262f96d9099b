"""A method a page never accepts is a 405 even without a CSRF token: "the form expired" (403)
is kept for real forms, where it is true."""

import pytest
from django.test import Client


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize(
    ("path", "sentence"),
    [
        ("/", "Méthode non permise"),
        ("/a-propos/", "Méthode non permise"),
        ("/en/about/", "Method not allowed"),
    ],
)
@pytest.mark.django_db
def test_a_page_answers_405_to_a_method_it_never_accepts_even_without_a_csrf_token(
    browser, method, path, sentence
):
    response = browser.generic(method, path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert sentence in response.content.decode()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
@pytest.mark.django_db
def test_the_api_answers_405_in_its_error_shape_to_a_method_it_never_accepts(browser, method):
    response = browser.generic(method, "/api/v1/resources")
    assert response.status_code == 405
    assert response.json()["error"].startswith("Cette méthode n’est pas acceptée ici")


@pytest.mark.django_db
def test_a_form_without_its_token_still_says_the_form_expired(browser):
    response = browser.post("/diagnostic/style/question/1/", {"choice": "q1a"})
    assert response.status_code == 403
    assert "Le formulaire a expiré" in response.content.decode()
