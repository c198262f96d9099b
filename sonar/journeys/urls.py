from django.urls import path
from django.utils.translation import gettext_lazy as _

from sonar.journeys import views

app_name = "journeys"

urlpatterns = [
    path("", views.index, name="index"),
    path(_("vous-etes-ici/<slug:token>/"), views.here, name="here"),
    path("<slug:key>/", views.trajectory, name="trajectory"),
]
