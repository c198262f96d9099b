from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from sonar.quiz import views
from sonar.quiz.paths import QuestionnaireSlug

app_name = "quiz"

register_converter(QuestionnaireSlug, "quizkey")

urlpatterns = [
    path(_("resultat/<slug:token>/"), views.result, name="result"),
    path(_("resultat/<slug:token>/fiche.pdf"), views.result_pdf, name="result-pdf"),
    path(_("partage/<slug:share_token>/"), views.share, name="share"),
    path("<quizkey:key>/", views.start, name="start"),
    path("<quizkey:key>/question/<int:number>/", views.question, name="question"),
    path(_("<quizkey:key>/commencer/"), views.begin, name="begin"),
    path(_("<quizkey:key>/recommencer/"), views.restart, name="restart"),
]
