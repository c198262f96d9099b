"""The workshop's screens at their real sizes: the projector on a wall (1280×720, 1920×1080),
the participant's phone (375×667), the join page and the control page used as a remote."""

import pytest

from sonar.quiz import data
from sonar.workshops import access, actions
from tests.conftest import Page, assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_content"),
]

WALLS = [(1280, 720), (1920, 1080)]
PHONE = (375, 667)


@pytest.fixture(autouse=True)
def _fresh_read_model():
    data.forget()


@pytest.fixture
def screen(browser, live_server):
    """screen(width, height, cookies={name: value}) → a Page of that size on the live server."""
    contexts, pages = [], []

    def open_screen(width, height, cookies=None):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        if cookies:
            context.add_cookies(
                [{"name": k, "value": v, "url": live_server.url} for k, v in cookies.items()]
            )
        contexts.append(context)
        page = Page(context.new_page(), live_server.url)
        pages.append(page)
        return page

    yield open_screen
    for context in contexts:
        context.close()
    problems = [p for page in pages for p in page.problems]
    assert not problems, "Erreurs dans la console du navigateur :\n" + "\n".join(problems)


def facilitator(workshop, token):
    return {access.FACILITATOR_COOKIE.format(code=workshop.code): token}


def inside(page, selector):
    """Whether every element matching `selector` lies wholly inside the viewport, unscrolled."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].every((node) => {
            const box = node.getBoundingClientRect();
            return box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight
                && box.right <= innerWidth && box.height > 0;
        })""",
        selector,
    )


def font_size(page, selector):
    return page.evaluate(
        "(s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", selector
    )


@pytest.mark.parametrize("key", ["style", "maturity"])
@pytest.mark.parametrize(("width", "height"), WALLS, ids=["1280x720", "1920x1080"])
def test_every_question_and_all_its_choices_fit_on_the_projector(screen, key, width, height):
    quiz = data.get(key)
    workshop, token = actions.create_workshop(quiz, "Séminaire de direction", "paced")
    wall = screen(width, height, facilitator(workshop, token))
    for number in range(1, len(quiz.questions) + 1):
        # The open projector would reload itself on the change (its live stream) while goto
        # loads it: leave it first, so only one navigation runs.
        wall.page.goto("about:blank")
        actions.change(workshop, current=number)
        wall.goto(f"/ateliers/{workshop.code}/projection/")
        assert wall.locator(".wall__choices li").count() == len(quiz.question_at(number).choices)
        assert inside(wall, ".wall__question, .wall__choices li, .wall__answered"), (
            f"{key}, question {number}: hors de l’écran à {width}×{height}"
        )
        assert font_size(wall, ".wall__question") > font_size(wall, ".wall__choices li")
        assert wall.evaluate("document.documentElement.scrollHeight") <= height
    assert_accessible(wall)


def test_the_projector_join_banner_and_high_contrast_pass_the_rgaa_rules(screen):
    workshop, token = actions.create_workshop(data.get("style"), "Plénière", "paced")
    wall = screen(1280, 720, facilitator(workshop, token))
    wall.goto(f"/ateliers/{workshop.code}/projection/")
    assert wall.text_content(".wall__big-code").strip() == workshop.code
    assert inside(wall, ".wall__big-code, .qr--wall, .wall__url")
    assert_accessible(wall)
    wall.get_by_role("link", name="Contraste élevé").click()
    assert "contraste=1" in wall.url
    assert_accessible(wall)


def test_the_reveal_is_one_view_at_a_time_driven_by_the_arrow_keys(screen):
    quiz = data.get("style")
    workshop, token = actions.create_workshop(quiz, "Équipe", "self_paced")
    person, _token = actions.join(workshop, "")
    for question in quiz.questions:
        actions.answer(workshop, person, question.key, question.choices[0].key, quiz)
    actions.change(workshop, revealed=True)
    wall = screen(1280, 720, facilitator(workshop, token))
    wall.goto(f"/ateliers/{workshop.code}/projection/")
    assert "Vue 1 sur 8" in wall.text_content(".wall__controls")
    assert wall.evaluate("document.documentElement.scrollHeight") <= 720
    wall.keyboard.press("ArrowRight")
    wall.wait_for_url("**vue=2")
    wall.keyboard.press("End")  # not a shortcut: nothing happens
    wall.keyboard.press("ArrowLeft")
    wall.wait_for_url("**vue=1")
    for view in range(2, 9):
        wall.keyboard.press("ArrowRight")
        wall.wait_for_url(f"**vue={view}")
    assert "Ce que dit ce mélange" in wall.text_content("h1")
    assert wall.evaluate("document.documentElement.scrollHeight") <= 720
    assert_accessible(wall)


@pytest.mark.parametrize("key", ["style", "maturity"])
def test_the_phone_button_is_visible_without_scrolling_at_every_question(screen, key):
    quiz = data.get(key)
    workshop, _token = actions.create_workshop(quiz, "Séminaire de direction", "self_paced")
    _person, token = actions.join(workshop, "Camille")
    phone = screen(*PHONE, {access.PARTICIPANT_COOKIE.format(code=workshop.code): token})
    for number in range(1, len(quiz.questions) + 1):
        phone.goto(f"/ateliers/{workshop.code}/?question={number}")
        assert f"Question {number} sur {len(quiz.questions)}" in phone.text_content("form")
        assert inside(phone, ".phone__button"), f"{key}, question {number}: bouton caché"
    assert "site-header" not in phone.content()
    assert_accessible(phone)


def test_the_join_link_opens_the_first_question_and_answering_joins(screen):
    quiz = data.get("style")
    workshop, _token = actions.create_workshop(quiz, "Équipe", "self_paced")
    phone = screen(*PHONE)
    phone.goto(f"/ateliers/{workshop.code}/?{access.ROOM_KEY_PARAMETER}="
               f"{access.room_key(workshop.code)}")  # fmt: skip
    assert "Question 1 sur 6" in phone.text_content("form")
    assert inside(phone, ".phone__button")
    assert_accessible(phone)
    phone.get_by_text("Ajouter un pseudonyme (facultatif)").click()
    phone.fill("#id_pseudonym", "Camille")
    phone.locator(".radios__item label").first.click()
    phone.get_by_role("button", name="Enregistrer ma réponse").click()
    assert "Réponse enregistrée." in phone.text_content("[role=status]")
    assert "Vous : Camille" in phone.text_content(".phone__head")
    assert "Question 2 sur 6" in phone.text_content("form")


def test_the_join_page_gives_the_code_field_the_focus(screen):
    phone = screen(*PHONE)
    phone.goto("/ateliers/rejoindre/")
    assert phone.evaluate("document.activeElement.id") == "id_code"
    assert_accessible(phone)


def test_a_phone_runs_the_workshop_as_a_remote_with_the_keyboard_too(screen):
    quiz = data.get("style")
    workshop, token = actions.create_workshop(quiz, "Équipe", "paced")
    remote = screen(*PHONE, facilitator(workshop, token))
    remote.goto(f"/ateliers/{workshop.code}/animation/")
    assert inside(remote, '[data-key="next"]')
    assert_accessible(remote)
    remote.get_by_role("button", name="Ouvrir la première question →").click()
    assert "Question 1 sur 6 ouverte" in remote.text_content(".remote__now")
    remote.keyboard.press("ArrowRight")
    remote.wait_for_selector("text=Question 2 sur 6 ouverte")
    remote.keyboard.press("ArrowLeft")
    remote.wait_for_selector("text=Question 1 sur 6 ouverte")
    remote.keyboard.press("r")
    remote.wait_for_selector("text=Les réponses sont révélées.")
    assert_accessible(remote)
