from django.urls import path
from django.utils.translation import gettext_lazy as _

from sonar.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path(_("a-propos/"), views.about, name="about"),
    path(_("accessibilite/"), views.accessibility, name="accessibility"),
    path(_("confidentialite/"), views.privacy, name="privacy"),
    path(_("mentions-legales/"), views.legal, name="legal"),
]
