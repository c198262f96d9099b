from django.urls import path

from sonar.journeys import views

app_name = "journeys"

urlpatterns = [
    path("", views.index, name="index"),
    path("vous-etes-ici/<slug:token>/", views.here, name="here"),
    path("<slug:key>/", views.trajectory, name="trajectory"),
]
