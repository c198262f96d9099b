from django.urls import path
from django.utils.translation import gettext_lazy as _

from sonar.workshops import views

app_name = "workshops"

urlpatterns = [
    path("", views.index, name="index"),
    path(_("creer/"), views.create, name="create"),
    path(_("rejoindre/"), views.join, name="join"),
    path("<str:code>/", views.participant, name="participant"),
    path(_("<str:code>/reponse/"), views.answer, name="answer"),
    path(_("<str:code>/flux"), views.stream, name="stream"),
    path(_("<str:code>/animer/<str:token>/"), views.secret_link, name="secret"),
    path(_("<str:code>/animation/"), views.facilitate, name="facilitate"),
    path(_("<str:code>/animation/commande/"), views.control, name="control"),
    path(_("<str:code>/projection/"), views.projector, name="projector"),
    path(_("<str:code>/agregats.csv"), views.export_aggregates, name="export-aggregates"),
    path("<str:code>/participants.csv", views.export_participants, name="export-participants"),
    path(_("<str:code>/rapport.pdf"), views.report_pdf, name="report-pdf"),
]
