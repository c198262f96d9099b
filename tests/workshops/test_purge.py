"""Raw answers are deleted after the retention period; the aggregates remain."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from sonar.workshops import actions, results
from sonar.workshops.models import Answer, Participant, Workshop
from tests.workshops.conftest import as_facilitator, choice_for, join

pytestmark = pytest.mark.django_db


def age(workshop, days):
    Workshop.objects.filter(pk=workshop.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=days)
    )


def fill(workshop, quiz, outcome="usages"):
    person = join(workshop)
    for question in quiz.questions:
        actions.answer(workshop, person, question.key, choice_for(quiz, question.key, outcome))


def test_the_retention_period_is_ninety_days_by_default(settings):
    from sonar import settings as project_settings

    assert project_settings.SONAR_WORKSHOP_RETENTION_DAYS == 90


def test_purge_deletes_old_answers_and_keeps_the_totals(make_workshop, quiz):
    old, recent = make_workshop(), make_workshop()
    fill(old, quiz)
    fill(recent, quiz)
    before = results.tally(Workshop.objects.get(pk=old.pk))
    age(old, 91)
    out = io.StringIO()
    call_command("purge", stdout=out)
    assert "1 atelier purgé" in out.getvalue()
    assert not Participant.objects.filter(workshop=old).exists()
    assert not Answer.objects.filter(participant__workshop=old).exists()
    assert Answer.objects.filter(participant__workshop=recent).count() == 6
    kept = Workshop.objects.get(pk=old.pk)
    assert results.tally(kept) == before
    assert results.snapshot(kept)["participants"] == 1


def test_the_retention_period_is_configurable(settings, make_workshop, quiz):
    settings.SONAR_WORKSHOP_RETENTION_DAYS = 7
    workshop = make_workshop()
    fill(workshop, quiz)
    age(workshop, 8)
    assert actions.purge() == 1


def test_a_purged_workshop_still_shows_its_results(client, make_workshop, quiz):
    workshop = make_workshop()
    fill(workshop, quiz)
    actions.change(workshop, revealed=True)
    age(workshop, 100)
    actions.purge()
    page = as_facilitator(client, workshop).get(f"/ateliers/{workshop.code}/projection/?vue=7")
    assert "Profils de l’équipe" in page.content.decode()


def test_purge_is_a_sonar_command():
    from sonar.cli import COMMANDS

    assert COMMANDS["purge"][0] == "purge"
