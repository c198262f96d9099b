from django.urls import path

from sonar.workshops import views, views_access

app_name = "workshops"

urlpatterns = [
    path("", views.index, name="index"),
    path("creer/", views.create, name="create"),
    path("rejoindre/", views.join, name="join"),
    path("deroules/<slug:key>/guide.pdf", views.guide_pdf, name="guide"),
    path("<str:code>/", views.participant, name="participant"),
    path("<str:code>/reponse/", views.answer, name="answer"),
    path("<str:code>/mon-resultat/", views.keep_result, name="keep-result"),
    path("<str:code>/etape/", views.answer_step, name="answer-step"),
    path("<str:code>/flux", views.stream, name="stream"),
    path("<str:code>/animer/<str:token>/", views.secret_link, name="secret"),
    path("<str:code>/animation/", views.facilitate, name="facilitate"),
    path("<str:code>/animation/commande/", views.control, name="control"),
    path("<str:code>/animation/acces/", views_access.access_page, name="access"),
    path("<str:code>/animation/acces/envoyer/", views_access.send_link, name="send-link"),
    path(
        "<str:code>/animation/acces/co-animation/",
        views_access.add_cofacilitator,
        name="cofacilitators",
    ),
    path(
        "<str:code>/animation/acces/co-animation/<int:facilitation_id>/retirer/",
        views_access.withdraw_cofacilitator,
        name="cofacilitator-withdraw",
    ),
    path("<str:code>/animation/acces/rattacher/", views_access.attach, name="attach"),
    path("<str:code>/animation/etapes/", views.edit_steps, name="steps"),
    path("<str:code>/animation/dupliquer/", views.duplicate, name="duplicate"),
    path("<str:code>/projection/", views.projector, name="projector"),
    path("<str:code>/agregats.csv", views.export_aggregates, name="export-aggregates"),
    path("<str:code>/participants.csv", views.export_participants, name="export-participants"),
    path("<str:code>/resultats.xlsx", views.export_xlsx, name="export-xlsx"),
    path("<str:code>/rapport.pdf", views.report_pdf, name="report-pdf"),
    path("<str:code>/restitution.pdf", views.debrief_pack, name="debrief-pack"),
]
