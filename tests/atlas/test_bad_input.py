"""A visitor (or a robot) sends the map's pages what they do not expect: a clear answer, no 500."""

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
