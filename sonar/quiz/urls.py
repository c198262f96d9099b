from django.urls import path

from sonar.quiz import views

app_name = "quiz"

urlpatterns = [
    path("resultat/<slug:token>/", views.result, name="result"),
    path("resultat/<slug:token>/fiche.pdf", views.result_pdf, name="result-pdf"),
    path("partage/<slug:share_token>/", views.share, name="share"),
    path("<slug:key>/", views.start, name="start"),
    path("<slug:key>/question/<int:number>/", views.question, name="question"),
    path("<slug:key>/commencer/", views.begin, name="begin"),
    path("<slug:key>/recommencer/", views.restart, name="restart"),
]
