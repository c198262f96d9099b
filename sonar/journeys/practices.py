"""Which balise raises which practice of the maturity diagnostic: the public function the
quiz's result (page, card, API) reads to link each practice to the trajectory that raises it.
"""

from django.urls import reverse

from sonar.journeys.models import Milestone


def anchor(milestone_key):
    """The id of a balise on its trajectory's page."""
    return f"balise-{milestone_key}"


def milestones_by_practice():
    """{(stage key, practice key): {"title", "url"}}: at each stage, the balise of that stage's
    trajectory that raises the practice (a practice is raised by one balise at most per
    trajectory, content checks it). `url` is a path; the caller makes it absolute if needed."""
    found = {}
    for milestone in Milestone.objects.select_related("trajectory").order_by(
        "trajectory__rank", "position"
    ):
        url = reverse("journeys:trajectory", args=[milestone.trajectory.key])
        for practice in milestone.practices or ():
            found.setdefault(
                (milestone.trajectory.key, practice),
                {"title": milestone.title, "url": f"{url}#{anchor(milestone.key)}"},
            )
    return found
