"""Milestones and levers, once twin tables, are one table of steps (journeys migration 0002):
every logbook milestone keeps pointing at its reference milestone, the levers come across with
their texts, and every revision still belongs to its object."""

import pytest
from django.contrib.contenttypes.management import inject_rename_contenttypes_operations
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("journeys", "0001_initial"), ("logbook", "0001_initial"), ("core", "0001_initial")]
MERGED = [("journeys", "0002_steps")]


def latest():
    """The journeys app's last migration: the tests read the merged steps through today's
    models, whose later fields (a balise's practices…) need the later migrations too."""
    graph = MigrationExecutor(connection).loader.graph
    return [node for node in graph.leaf_nodes() if node[0] == "journeys"]


def migrate(targets):
    """Migrate as `sonar migrate` does, content types renamed with their models included."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    plan = executor.migration_plan(targets)
    inject_rename_contenttypes_operations(plan=plan)
    executor.migrate(targets, plan=plan)
    return executor.loader.project_state(targets).apps


def revision(apps, model, obj, number=1):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="journeys", model=model)
    return apps.get_model("core", "Revision").objects.create(
        content_type=content_type,
        object_id=obj.pk,
        number=number,
        origin="load",
        snapshot={"key": obj.key},
    )


@pytest.fixture
def old_content(transactional_db):
    """A trajectory with a milestone and two levers as the twin tables held them, a logbook
    milestone adopted from the reference one, and their revisions."""
    apps = migrate(BEFORE)
    Questionnaire = apps.get_model("quiz", "Questionnaire")
    Outcome = apps.get_model("quiz", "Outcome")
    questionnaire = Questionnaire.objects.create(key="maturity", title_fr="M", title_en="M")
    stage = Outcome.objects.create(
        questionnaire=questionnaire, key="explorer", position=1, symbol="1"
    )
    trajectory = apps.get_model("journeys", "Trajectory").objects.create(
        stage=stage, key="explorer", rank=1, title_fr="T", title_en="T", summary_fr="S",
        summary_en="S",
    )  # fmt: skip
    texts = {"title_en": "Title", "description_fr": "Texte", "description_en": "Text"}
    milestone = apps.get_model("journeys", "Milestone").objects.create(
        trajectory=trajectory, key="premier-pas", position=1, title_fr="Premier pas", **texts
    )
    Lever = apps.get_model("journeys", "Lever")
    # The same key as the milestone's: two kinds may share one.
    levers = [
        Lever.objects.create(
            trajectory=trajectory, key=key, position=n, title_fr=f"Levier {n}", **texts
        )
        for n, key in enumerate(["premier-pas", "un-allie"], start=1)
    ]
    revision(apps, "milestone", milestone)
    for lever in levers:
        revision(apps, "lever", lever)
        revision(apps, "lever", lever, number=2)
    User = apps.get_model("accounts", "User")
    owner = User.objects.create(email="chef@example.fr", password="!")
    project = apps.get_model("logbook", "Project").objects.create(title="Projet", created_by=owner)
    adopted = apps.get_model("logbook", "ProjectMilestone").objects.create(
        project=project, milestone=milestone, position=1, title="Premier pas"
    )
    yield {"milestone": milestone.pk, "adopted": adopted.pk}
    migrate([("journeys", "0002_steps"), ("logbook", "0001_initial")])
    migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_every_logbook_milestone_keeps_its_reference_milestone(old_content):
    migrate(latest())
    from sonar.journeys.models import Milestone
    from sonar.logbook.models import ProjectMilestone

    adopted = ProjectMilestone.objects.get(pk=old_content["adopted"])
    assert adopted.milestone_id == old_content["milestone"]
    assert adopted.milestone.title_fr == "Premier pas"
    assert list(Milestone.objects.values_list("key", flat=True)) == ["premier-pas"]


@pytest.mark.django_db(transaction=True)
def test_the_levers_come_across_with_their_texts_and_revisions(old_content):
    migrate(latest())
    from sonar.journeys.models import Lever, Milestone, Trajectory

    levers = list(Lever.objects.order_by("position"))
    assert [(lever.key, lever.title_fr, lever.kind) for lever in levers] == [
        ("premier-pas", "Levier 1", "lever"),
        ("un-allie", "Levier 2", "lever"),
    ]
    assert [lever.revisions().count() for lever in levers] == [2, 2]
    milestone = Milestone.objects.get()
    assert milestone.revisions().count() == 1
    trajectory = Trajectory.objects.get()
    assert [m.key for m in trajectory.milestones] == ["premier-pas"]
    assert [lever.key for lever in trajectory.levers] == ["premier-pas", "un-allie"]


@pytest.mark.django_db(transaction=True)
def test_the_merge_can_be_undone(old_content):
    migrate(MERGED)
    apps = migrate(BEFORE)
    Lever = apps.get_model("journeys", "Lever")
    assert sorted(Lever.objects.values_list("key", flat=True)) == ["premier-pas", "un-allie"]
    Revision = apps.get_model("core", "Revision")
    for lever in Lever.objects.all():
        assert Revision.objects.filter(content_type__model="lever", object_id=lever.pk).count() == 2
    milestone = apps.get_model("journeys", "Milestone").objects.get()
    assert (
        Revision.objects.filter(content_type__model="milestone", object_id=milestone.pk).count()
        == 1
    )
    adopted = apps.get_model("logbook", "ProjectMilestone").objects.get(pk=old_content["adopted"])
    assert adopted.milestone_id == old_content["milestone"]
