from django.urls import path

from sonar.workshops import views

app_name = "workshops"

urlpatterns = [
    path("", views.index, name="index"),
    path("creer/", views.create, name="create"),
    path("rejoindre/", views.join, name="join"),
    path("deroules/<slug:key>/guide.pdf", views.guide_pdf, name="guide"),
    path("<str:code>/", views.participant, name="participant"),
    path("<str:code>/reponse/", views.answer, name="answer"),
    path("<str:code>/etape/", views.answer_step, name="answer-step"),
    path("<str:code>/flux", views.stream, name="stream"),
    path("<str:code>/animer/<str:token>/", views.secret_link, name="secret"),
    path("<str:code>/animation/", views.facilitate, name="facilitate"),
    path("<str:code>/animation/commande/", views.control, name="control"),
    path("<str:code>/animation/etapes/", views.edit_steps, name="steps"),
    path("<str:code>/animation/dupliquer/", views.duplicate, name="duplicate"),
    path("<str:code>/projection/", views.projector, name="projector"),
    path("<str:code>/agregats.csv", views.export_aggregates, name="export-aggregates"),
    path("<str:code>/participants.csv", views.export_participants, name="export-participants"),
    path("<str:code>/rapport.pdf", views.report_pdf, name="report-pdf"),
]
