"""An id or a code from somebody else's space, put in an address of one's own, reaches nothing.

The admin of organisation A and of its project tries the ids of organisation B's members and
invitations, of B's project's milestones, experiments, members and invitations; the workshop's
facilitator and participant try their cookie on another workshop. Each gets the 404 (or 403)
of a thing that is not theirs, and nothing changes.
"""

import pytest
from django.urls import reverse

from sonar.accounts.models import Membership, OrganisationInvitation
from sonar.logbook.models import Experiment, ProjectInvitation, ProjectMember, ProjectMilestone
from tests.security.conftest import ADMIN, FACILITATOR, PARTICIPANT, isolated

pytestmark = pytest.mark.django_db

# (URL name, path values: world keys, method, actor, expected status)
FORGED = [
    ("accounts:member_role", ["organisation", "other_membership"], "post", ADMIN, 404),
    ("accounts:member_remove", ["organisation", "other_membership"], "post", ADMIN, 404),
    ("accounts:invitation_withdraw", ["organisation", "other_org_invitation"], "post", ADMIN, 404),
    ("logbook:milestone", ["project", "other_milestone"], "post", ADMIN, 404),
    ("logbook:milestone-edit", ["project", "other_milestone"], "get", ADMIN, 404),
    ("logbook:milestone-edit", ["project", "other_milestone"], "post", ADMIN, 404),
    ("logbook:experiment", ["project", "other_experiment"], "get", ADMIN, 404),
    ("logbook:experiment-edit", ["project", "other_experiment"], "get", ADMIN, 404),
    ("logbook:experiment-edit", ["project", "other_experiment"], "post", ADMIN, 404),
    ("logbook:role", ["project", "other_project_member"], "post", ADMIN, 404),
    ("logbook:remove", ["project", "other_project_member"], "post", ADMIN, 404),
    ("logbook:withdraw", ["project", "other_project_invitation"], "post", ADMIN, 404),
    ("logbook:project", ["other_project"], "get", ADMIN, 404),
    ("workshops:facilitate", ["other_code"], "get", FACILITATOR, 403),
    ("workshops:control", ["other_code"], "post", FACILITATOR, 403),
    ("workshops:export-participants", ["other_code"], "get", FACILITATOR, 403),
    ("workshops:answer", ["other_code"], "post", PARTICIPANT, 403),
]
DATA = {
    "role": "member",
    "action": "reveal",
    "title": "Réécrit",
    "hypothesis": "Réécrit",
    "done": "1",
    "question": "q1",
    "choice": "q1a",
}


def _everything(world):
    """What the forged requests could change, as it stands."""
    return (
        list(Membership.objects.order_by("pk").values_list("pk", "role")),
        list(OrganisationInvitation.objects.order_by("pk").values_list("pk", "withdrawn_at")),
        list(ProjectMember.objects.order_by("pk").values_list("pk", "role")),
        list(ProjectInvitation.objects.order_by("pk").values_list("pk", "withdrawn_at")),
        list(ProjectMilestone.objects.order_by("pk").values_list("pk", "title", "done_at")),
        list(Experiment.objects.order_by("pk").values_list("pk", "hypothesis")),
    )


@pytest.mark.parametrize(
    ("name", "keys", "method", "actor", "status"),
    FORGED,
    ids=[f"{name}-{method}" for name, _k, method, _a, _s in FORGED],
)
def test_an_id_from_elsewhere_reaches_nothing(world, name, keys, method, actor, status):
    path = reverse(name, args=[world.values[key] for key in keys])
    browser = world.client(actor)

    def send():
        before = _everything(world)
        response = getattr(browser, method)(path, DATA if method == "post" else None)
        response.changed = _everything(world) != before
        return response

    response = isolated(send)

    assert response.status_code == status, path
    assert not response.changed
