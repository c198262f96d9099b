"""Recording the project's stage and style: from a diagnostic result, a workshop, or by hand."""

import pytest
from django.urls import reverse

from sonar.logbook.models import Positioning
from sonar.quiz.models import Questionnaire, Result


@pytest.fixture
def maturity_result(stages):
    return Result.objects.create(
        questionnaire=Questionnaire.objects.get(key="maturity"),
        answers={},
        counts={},
        outcomes=["premieres-sorties"],
    )


@pytest.fixture
def style_result(styles):
    return Result.objects.create(
        questionnaire=Questionnaire.objects.get(key="style"),
        answers={},
        counts={},
        outcomes=["interne", "usages"],
    )


def post(client, project, **data):
    return client.post(reverse("logbook:positioning", args=[project.pk]), data)


def test_one_of_this_browsers_results_gives_the_stage(client, project, member, maturity_result):
    client.force_login(member)
    session = client.session
    session["quiz:results"] = [maturity_result.token]
    session.save()
    page = client.get(reverse("logbook:positioning", args=[project.pk]))
    assert "Vos résultats dans ce navigateur" in page.text
    response = post(client, project, source="diagnostic", mine=maturity_result.token)
    assert response.status_code == 302
    positioning = project.positionings.get()
    assert (positioning.aspect, positioning.keys) == ("stage", ["premieres-sorties"])
    assert positioning.source == "diagnostic"
    assert positioning.reference == maturity_result.share_token
    assert positioning.recorded_by == member


def test_a_result_of_another_browser_cannot_be_picked_by_its_token(
    client, project, member, maturity_result
):
    client.force_login(member)
    response = post(client, project, source="diagnostic", mine=maturity_result.token)
    assert response.status_code == 400
    assert "Aucun résultat de diagnostic ne correspond" in response.text
    assert not project.positionings.exists()


@pytest.mark.parametrize("which", ["result", "share"])
def test_a_pasted_result_link_gives_a_mixed_style(client, project, member, style_result, which):
    client.force_login(member)
    if which == "result":
        link = "https://sonar.example" + reverse("quiz:result", args=[style_result.token])
    else:
        link = reverse("quiz:share", args=[style_result.share_token])
    response = post(client, project, source="diagnostic", result=link)
    assert response.status_code == 302
    positioning = project.positionings.get()
    assert (positioning.aspect, positioning.keys) == ("style", ["interne", "usages"])
    page = client.get(reverse("logbook:project", args=[project.pk]))
    assert "Culture interne + Usages" in page.text
    assert "d’après un résultat de diagnostic" in page.text


@pytest.mark.parametrize("pasted", ["", "https://ailleurs.example/rien", "x" * 300, "a" * 301])
def test_a_wrong_result_link_is_refused_with_the_text_kept(client, project, member, pasted):
    client.force_login(member)
    response = post(client, project, source="diagnostic", result=pasted)
    assert response.status_code == 400
    assert "Il y a un problème" in response.text
    assert not project.positionings.exists()


def test_a_workshop_gives_the_teams_profile(client, project, member, styles):
    from sonar.workshops import actions as workshop_actions
    from sonar.workshops.models import Answer, Workshop

    questionnaire = Questionnaire.objects.get(key="style")
    workshop = Workshop.objects.create_with_code(
        questionnaire=questionnaire, title="Atelier", facilitator_digest="d" * 64
    )
    for choice in ["u1", "u2"]:
        person, _token = workshop_actions.join(workshop, "")
        Answer.objects.create(participant=person, question_key="q1", choice_key=choice)
    _patch_tally(workshop, {"interne": 0, "usages": 2})
    client.force_login(member)
    response = post(client, project, source="workshop", code=workshop.code.lower())
    assert response.status_code == 302
    positioning = project.positionings.get()
    assert (positioning.keys, positioning.source, positioning.reference) == (
        ["usages"],
        "workshop",
        workshop.code,
    )


def _answered_workshop(styles):
    from sonar.workshops import actions as workshop_actions
    from sonar.workshops.models import Answer, Workshop

    workshop = Workshop.objects.create_with_code(
        questionnaire=Questionnaire.objects.get(key="style"),
        title="Atelier",
        facilitator_digest="e" * 64,
    )
    for choice in ["u1", "u2"]:
        person, _token = workshop_actions.join(workshop, "")
        Answer.objects.create(participant=person, question_key="q1", choice_key=choice)
    return workshop


def test_a_workshop_whose_results_are_not_revealed_positions_nothing(
    client, project, member, styles, monkeypatch
):
    from sonar.workshops import actions as workshop_actions
    from sonar.workshops import results

    workshop = _answered_workshop(styles)
    monkeypatch.setattr(results, "tally", lambda *a: {"profiles": {"interne": 0, "usages": 2}})
    client.force_login(member)

    hidden = post(client, project, source="workshop", code=workshop.code)
    assert hidden.status_code == 400
    assert "n’a pas encore révélé ses résultats" in hidden.text
    assert not project.positionings.exists()

    workshop_actions.change(workshop, revealed=True)
    assert post(client, project, source="workshop", code=workshop.code).status_code == 302
    assert project.positionings.get().keys == ["usages"]


def _patch_tally(workshop, profiles):
    """Keep the workshop's results as if its raw answers had been purged: a fixed tally."""
    from django.utils import timezone

    workshop.purged_at = timezone.now()
    workshop.kept_results = {"participants": 2, "profiles": profiles, "answers": {}}
    workshop.save()


@pytest.mark.parametrize(
    "code, message",
    [
        ("", "Saisissez le code de l’atelier."),
        ("ZZZZZZ", "Aucun atelier de diagnostic ne porte ce code."),
    ],
)
def test_a_wrong_workshop_code_says_so(client, project, member, code, message):
    client.force_login(member)
    response = post(client, project, source="workshop", code=code)
    assert response.status_code == 400
    assert message in response.text


def test_stage_and_style_chosen_by_hand(client, project, member, stages, styles):
    client.force_login(member)
    response = client.post(
        reverse("logbook:positioning", args=[project.pk]),
        {"source": "hand", "stage": "a-quai", "style": ["usages"]},
    )
    assert response.status_code == 302
    assert sorted(project.positionings.values_list("aspect", "source")) == [
        ("stage", "hand"),
        ("style", "hand"),
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Choisissez une étape, un style, ou les deux."),
        ({"stage": "capitaine"}, "Choisissez parmi les propositions."),
    ],
)
def test_a_bad_choice_by_hand_is_refused(client, project, member, stages, styles, data, message):
    client.force_login(member)
    response = client.post(
        reverse("logbook:positioning", args=[project.pk]), {"source": "hand", **data}
    )
    assert response.status_code == 400
    assert message in response.text
    assert not project.positionings.exists()


def test_an_unknown_source_is_a_400(client, project, member):
    client.force_login(member)
    assert post(client, project, source="astrologie").status_code == 400


def test_every_change_stays_in_the_timeline(client, project, member, stages):
    client.force_login(member)
    for stage in ["a-quai", "premieres-sorties"]:
        post(client, project, source="hand", stage=stage)
    page = client.get(reverse("logbook:project", args=[project.pk]))
    assert page.text.count("Étape\u00a0:") == 2
    assert Positioning.objects.filter(project=project).count() == 2
