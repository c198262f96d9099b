from django.urls import path
from django.utils.translation import gettext_lazy as _

from sonar.logbook import views, views_links, views_log

app_name = "logbook"

urlpatterns = [
    path("", views.index, name="index"),
    path(_("nouveau/"), views.create, name="create"),
    path(_("invitation/<str:token>/"), views.accept, name="accept"),
    path(_("partage/<str:token>/"), views.shared, name="shared"),
    path(_("partage/<str:token>/carnet.md"), views.shared_markdown, name="shared-markdown"),
    path(_("partage/<str:token>/carnet.pdf"), views.shared_pdf, name="shared-pdf"),
    path("<int:pk>/", views.project, name="project"),
    path(_("<int:pk>/modifier/"), views.edit, name="edit"),
    path(_("<int:pk>/historique/"), views.history, name="history"),
    path(_("<int:pk>/equipe/"), views.team, name="team"),
    path(_("<int:pk>/equipe/inviter/"), views.invite, name="invite"),
    path(
        _("<int:pk>/equipe/invitations/<int:invitation_id>/retirer/"),
        views.withdraw,
        name="withdraw",
    ),
    path(_("<int:pk>/equipe/<int:member_id>/role/"), views.change_role, name="role"),
    path(_("<int:pk>/equipe/<int:member_id>/retirer/"), views.remove, name="remove"),
    path(_("<int:pk>/partage/"), views.share, name="share"),
    path(_("<int:pk>/carnet.md"), views.export_markdown, name="markdown"),
    path(_("<int:pk>/carnet.pdf"), views.export_pdf, name="pdf"),
    path(_("<int:pk>/position/"), views_log.positioning, name="positioning"),
    path(_("<int:pk>/trajectoire/"), views_log.trajectory, name="trajectory"),
    path(_("<int:pk>/trajectoire/adopter/"), views_log.adopt, name="adopt"),
    path(_("<int:pk>/balises/ajouter/"), views_log.add_milestone, name="add-milestone"),
    path(_("<int:pk>/balises/<int:milestone_id>/"), views_log.milestone_action, name="milestone"),
    path(
        _("<int:pk>/balises/<int:milestone_id>/modifier/"),
        views_log.milestone_edit,
        name="milestone-edit",
    ),
    path(
        _("<int:pk>/experiences/nouvelle/"), views_log.experiment_create, name="experiment-create"
    ),
    path(_("<int:pk>/experiences/<int:experiment_id>/"), views_log.experiment, name="experiment"),
    path(
        _("<int:pk>/experiences/<int:experiment_id>/modifier/"),
        views_log.experiment_edit,
        name="experiment-edit",
    ),
]

# From a diagnostic result or a trajectory page into a logbook (views_links.py).
urlpatterns += [
    path(_("depuis-un-resultat/"), views_links.save_result, name="save-result"),
    path(_("adopter/<slug:key>/"), views_links.adopt_from, name="adopt-from"),
]
