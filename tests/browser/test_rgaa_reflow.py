"""The RGAA self-audit's sample at 320 px (criterion 10.11: no horizontal scrolling) and its
axe check at that width: what sonar/core/rgaa-4.1.yaml claims for these pages."""

import pytest

from sonar.core import accessibility as rgaa
from tests.conftest import Page, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = [page["adresse"] for page in rgaa.read().sample]


@pytest.fixture
def narrow(browser, live_server, reference_content):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    wrapped = Page(context.new_page(), live_server.url)
    yield wrapped
    context.close()


@pytest.mark.parametrize("path", SAMPLE)
def test_the_sample_reflows_at_320_px_and_passes_axe(narrow, path):
    narrow.goto(path)
    overflow = narrow.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{path} défile horizontalement de {overflow} px à 320 px"
    assert_accessible(narrow)
