# Milestones and levers, twins field for field, become one table of steps with a kind; each
# keeps a proxy model (journeys.Milestone, journeys.Lever). The milestones' table is kept and
# renamed, so every logbook milestone that points at one keeps pointing at it (same ids); the
# levers are copied in with kind "lever". Revisions follow: a milestone's stay under the
# "milestone" content type (the rename would have moved them to "step"), a lever's get the id of
# its new row.

import django.db.models.deletion
from django.db import migrations, models

TEXTS = ("key", "position", "revision", "title_fr", "title_en", "description_fr", "description_en")


def _content_type(apps, model, create=False):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if create:
        return ContentType.objects.get_or_create(app_label="journeys", model=model)[0]
    return ContentType.objects.filter(app_label="journeys", model=model).first()


def _move_revisions(Revision, content_type, moves):
    """Give the revisions of each object of `content_type` its new id ({old: new}). Through
    ids above every other first, so that no revision ever takes the place of another."""
    if content_type is None or not moves:
        return
    revisions = Revision.objects.filter(content_type=content_type)
    above = max([*moves, *moves.values()]) + 1
    for old in moves:
        revisions.filter(object_id=old).update(object_id=old + above)
    for old, new in moves.items():
        revisions.filter(object_id=old + above).update(object_id=new)


def _check_now(schema_editor):
    """PostgreSQL checks foreign keys at commit; the table changes that follow in this same
    migration refuse to run while such checks are pending, so they run now."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def merge_levers(apps, schema_editor):
    Step = apps.get_model("journeys", "Step")
    OldLever = apps.get_model("journeys", "Lever")
    Revision = apps.get_model("core", "Revision")
    step_type = _content_type(apps, "step")
    if step_type is not None:  # the rename moved the milestones' revisions there
        milestone_type = _content_type(apps, "milestone", create=True)
        Revision.objects.filter(content_type=step_type).update(content_type=milestone_type)
    moves = {}
    for lever in OldLever.objects.order_by("pk"):
        step = Step.objects.create(
            kind="lever",
            trajectory_id=lever.trajectory_id,
            **{name: getattr(lever, name) for name in TEXTS},
        )
        moves[lever.pk] = step.pk
    _move_revisions(Revision, _content_type(apps, "lever"), moves)
    _check_now(schema_editor)


def split_levers(apps, schema_editor):
    Step = apps.get_model("journeys", "Step")
    OldLever = apps.get_model("journeys", "Lever")
    Revision = apps.get_model("core", "Revision")
    moves = {}
    for step in Step.objects.filter(kind="lever").order_by("pk"):
        lever = OldLever.objects.create(
            trajectory_id=step.trajectory_id, **{name: getattr(step, name) for name in TEXTS}
        )
        moves[step.pk] = lever.pk
    Step.objects.filter(kind="lever").delete()
    _move_revisions(Revision, _content_type(apps, "lever"), moves)
    milestone_type = _content_type(apps, "milestone")
    if milestone_type is not None:
        # Back under the type the reverse rename will call "milestone" again.
        step_type = _content_type(apps, "step", create=True)
        Revision.objects.filter(content_type=milestone_type).update(content_type=step_type)
        milestone_type.delete()
    _check_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("journeys", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="milestone", name="unique_milestone_key"),
        migrations.RenameModel(old_name="Milestone", new_name="Step"),
        migrations.AddField(
            model_name="step",
            name="kind",
            field=models.CharField(
                choices=[("milestone", "balise"), ("lever", "levier")],
                default="milestone",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="step",
            name="trajectory",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="steps",
                to="journeys.trajectory",
            ),
        ),
        migrations.AlterModelOptions(
            name="step", options={"ordering": ["trajectory", "kind", "position"]}
        ),
        migrations.AddConstraint(
            model_name="step",
            constraint=models.UniqueConstraint(
                fields=("trajectory", "kind", "key"), name="unique_step_key"
            ),
        ),
        migrations.RunPython(merge_levers, split_levers),
        migrations.DeleteModel(name="Lever"),
        migrations.CreateModel(
            name="Lever",
            fields=[],
            options={"proxy": True, "indexes": [], "constraints": []},
            bases=("journeys.step",),
        ),
        migrations.CreateModel(
            name="Milestone",
            fields=[],
            options={"proxy": True, "indexes": [], "constraints": []},
            bases=("journeys.step",),
        ),
    ]
