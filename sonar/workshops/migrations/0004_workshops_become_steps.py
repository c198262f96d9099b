"""Every workshop made before steps becomes a workshop of one step: its questionnaire.

The answers are not touched (a questionnaire step reads its answers per question, as before),
so no answer is lost; the step is revealed if the workshop was.
"""

from django.db import migrations


def to_steps(apps, schema_editor):
    Workshop = apps.get_model("workshops", "Workshop")
    Step = apps.get_model("workshops", "Step")
    for workshop in Workshop.objects.select_related("questionnaire").iterator():
        if Step.objects.filter(workshop=workshop).exists():
            continue
        quiz = workshop.questionnaire
        Step.objects.create(
            workshop=workshop,
            key=quiz.key,
            kind=quiz.key,
            position=1,
            title=quiz.title_fr[:200],
            config={"questionnaire": quiz.key},
            is_open=True,
            revealed=workshop.revealed,
        )


def back(apps, schema_editor):
    apps.get_model("workshops", "Step").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("workshops", "0003_steps")]

    operations = [migrations.RunPython(to_steps, back)]
