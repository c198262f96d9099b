"""The pages work under the strict Content Security Policy in Chromium: one page per app, and
not one violation reported.

Chromium logs a refused script, style or image as a console error, which the `page` fixture
already fails on; a `securitypolicyviolation` listener, added before any page script runs,
reports every violation as a console error as well, so none goes unseen. Desktop only: the
policy does not depend on the screen's width.
"""

import pytest
from django.urls import reverse

from sonar.core import content
from tests.conftest import VIEWPORTS
from tests.security.conftest import ADMIN, FACILITATOR, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    "CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


@pytest.fixture
def viewport():
    return VIEWPORTS["desktop"]


@pytest.fixture
def world(transactional_db, reference_documents):
    # The content pipeline itself: `reference_content` puts rows back for rolled-back tests only.
    content.load(documents=reference_documents)
    return build_world()


def _pages(world):
    values = world.values
    return [
        reverse("core:home"),
        reverse("quiz:question", args=["style", 1]),
        reverse("quiz:result", args=[values["result_token"]]),
        reverse("atlas:map"),
        reverse("atlas:catalogue") + "?kind=method&maturity=1",
        reverse("journeys:trajectory", args=[values["trajectory"]]),
        reverse("workshops:facilitate", args=[values["code"]]),
        reverse("logbook:project", args=[values["project"]]),
        reverse("accounts:account"),
    ]


def test_no_page_reports_a_content_security_policy_violation(page, world):
    page.context.add_init_script(LISTENER)
    cookies = {**world.cookies[ADMIN], **world.cookies[FACILITATOR]}
    page.context.add_cookies(
        [{"name": name, "value": value, "url": page.base_url} for name, value in cookies.items()]
    )

    for path in _pages(world):
        response = page.goto(path)
        assert response.status == 200, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # the page's scripts have run
        assert not page.problems, (path, page.problems)

    # The watch itself works: an image from another site, added by a script, is reported.
    with page.expect_console_message(lambda message: "CSP violation: img-src" in message.text):
        page.evaluate(
            "() => { const i = new Image(); i.src = 'https://evil.example/x.png';"
            " document.body.append(i); }"
        )
    assert any("CSP violation: img-src" in problem for problem in page.problems), page.problems
    page.problems.clear()
