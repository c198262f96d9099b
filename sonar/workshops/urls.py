from django.urls import path
from django.utils.translation import gettext_lazy as _

from sonar.workshops import views, views_access

app_name = "workshops"

urlpatterns = [
    path("", views.index, name="index"),
    path(_("creer/"), views.create, name="create"),
    path(_("rejoindre/"), views.join, name="join"),
    path(_("deroules/<slug:key>/guide.pdf"), views.guide_pdf, name="guide"),
    path("<str:code>/", views.participant, name="participant"),
    path(_("<str:code>/reponse/"), views.answer, name="answer"),
    path(_("<str:code>/mon-resultat/"), views.keep_result, name="keep-result"),
    path(_("<str:code>/etape/"), views.answer_step, name="answer-step"),
    path(_("<str:code>/flux"), views.stream, name="stream"),
    path(_("<str:code>/animer/<str:token>/"), views.secret_link, name="secret"),
    path(_("<str:code>/animation/"), views.facilitate, name="facilitate"),
    path(_("<str:code>/animation/commande/"), views.control, name="control"),
    path(_("<str:code>/animation/acces/"), views_access.access_page, name="access"),
    path(_("<str:code>/animation/acces/envoyer/"), views_access.send_link, name="send-link"),
    path(
        _("<str:code>/animation/acces/co-animation/"),
        views_access.add_cofacilitator,
        name="cofacilitators",
    ),
    path(
        _("<str:code>/animation/acces/co-animation/<int:facilitation_id>/retirer/"),
        views_access.withdraw_cofacilitator,
        name="cofacilitator-withdraw",
    ),
    path(_("<str:code>/animation/acces/rattacher/"), views_access.attach, name="attach"),
    path(_("<str:code>/animation/etapes/"), views.edit_steps, name="steps"),
    path(_("<str:code>/animation/dupliquer/"), views.duplicate, name="duplicate"),
    path(_("<str:code>/projection/"), views.projector, name="projector"),
    path(_("<str:code>/agregats.csv"), views.export_aggregates, name="export-aggregates"),
    path("<str:code>/participants.csv", views.export_participants, name="export-participants"),
    path(_("<str:code>/resultats.xlsx"), views.export_xlsx, name="export-xlsx"),
    path(_("<str:code>/rapport.pdf"), views.report_pdf, name="report-pdf"),
    path(_("<str:code>/restitution.pdf"), views.debrief_pack, name="debrief-pack"),
]
