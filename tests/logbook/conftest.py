"""A small base for the logbook tests: a project with an admin and a member, stages, styles,
a trajectory and a map resource, made here so the tests do not depend on the reference texts."""

import pytest

from sonar.atlas.models import Resource
from sonar.journeys.models import Milestone, Trajectory
from sonar.logbook import actions
from sonar.logbook.models import ProjectMember
from sonar.quiz.models import Outcome, Questionnaire
from tests.factories import UserFactory

STAGES = [("a-quai", "À quai"), ("premieres-sorties", "Premières sorties")]
STYLES = [("interne", "x", "Culture interne"), ("usages", "¿", "Usages")]


def _questionnaire(key):
    questionnaire, _ = Questionnaire.objects.get_or_create(
        key=key, defaults={"source": "sonar", "title_fr": key, "title_en": key}
    )
    return questionnaire


@pytest.fixture
def stages(db):
    questionnaire = _questionnaire("maturity")
    made = {}
    for position, (key, name) in enumerate(STAGES, start=1):
        made[key], _ = Outcome.objects.get_or_create(
            questionnaire=questionnaire,
            key=key,
            defaults={
                "position": position,
                "symbol": str(position),
                "name_fr": name,
                "name_en": name,
                "description_fr": "…",
                "description_en": "…",
            },
        )
    return made


@pytest.fixture
def styles(db):
    questionnaire = _questionnaire("style")
    made = {}
    for position, (key, symbol, name) in enumerate(STYLES, start=1):
        made[key], _ = Outcome.objects.get_or_create(
            questionnaire=questionnaire,
            key=key,
            defaults={
                "position": position,
                "symbol": symbol,
                "name_fr": name,
                "name_en": name,
                "description_fr": "…",
                "description_en": "…",
            },
        )
    return made


@pytest.fixture
def trajectory(stages):
    trajectory, _ = Trajectory.objects.get_or_create(
        key="a-quai",
        defaults={
            "stage": stages["a-quai"],
            "rank": 1,
            "title_fr": "Du discours au premier essai",
            "title_en": "From talk to a first trial",
            "summary_fr": "Un premier essai concret.",
            "summary_en": "A first concrete trial.",
        },
    )
    for position, (key, title) in enumerate(
        [("choisir", "Choisir un problème concret"), ("soutien", "Obtenir un soutien explicite")],
        start=1,
    ):
        Milestone.objects.get_or_create(
            trajectory=trajectory,
            key=key,
            defaults={
                "position": position,
                "title_fr": title,
                "title_en": title,
                "description_fr": f"Description de « {title} ».",
                "description_en": "…",
            },
        )
    return trajectory


@pytest.fixture
def resource(db):
    return Resource.objects.create(
        slug="design-de-service",
        kind="method",
        title_fr="Design de service",
        title_en="Service design",
        summary_fr="…",
        summary_en="…",
        description_fr="…",
        description_en="…",
        when_to_use_fr="…",
        when_to_use_en="…",
        when_not_to_use_fr="…",
        when_not_to_use_en="…",
        controversies_fr="…",
        controversies_en="…",
        visions=" entreprise ",
        profiles=" usages ",
        focus=0,
        maturity=0,
    )


@pytest.fixture
def admin(db):
    return UserFactory(email="admin@exemple-metropole.fr", name="Anne Admin")


@pytest.fixture
def member(db):
    return UserFactory(email="membre@exemple-metropole.fr", name="Marc Membre")


@pytest.fixture
def outsider(db):
    return UserFactory(email="autre@exemple-metropole.fr", name="Olga Autre")


@pytest.fixture
def project(admin, member):
    project, _ = actions.create_project(
        admin,
        "cle-de-creation-du-projet-a",
        title="Accueil des nouveaux habitants",
        kind="service",
        about="Simplifier l’arrivée dans la ville.",
        organisation=None,
    )
    ProjectMember.objects.create(project=project, user=member, role=ProjectMember.Role.MEMBER)
    return project


@pytest.fixture
def other_project(outsider):
    project, _ = actions.create_project(
        outsider,
        "cle-de-creation-du-projet-b",
        title="Projet d’une autre équipe",
        kind="policy",
        about="Secret de l’autre équipe.",
        organisation=None,
    )
    return project


def make_experiment(project, user, key="experience-1", **fields):
    fields.setdefault("hypothesis", "Les habitants préfèrent un rendez-vous court.")
    experiment, _ = actions.add_experiment(project, user, key * 2, **fields)
    return experiment


def make_milestone(project, user, key="balise-1", title="Notre balise"):
    milestone, _ = actions.add_milestone(project, user, key * 3, title)
    return milestone
