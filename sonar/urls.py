from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from sonar.atlas import api as atlas_api
from sonar.core import api
from sonar.core import views as core_views
from sonar.journeys import api as journeys_api
from sonar.quiz import api as quiz_api
from sonar.workshops import api as workshops_api

# The JSON API: each app's router, in one django-ninja API (sonar/core/api).
API = api.build(
    [(app.router, app.TAG) for app in (quiz_api, atlas_api, workshops_api, journeys_api)]
)

handler400 = "sonar.core.views.bad_request"
handler403 = "sonar.core.views.permission_denied"
handler404 = "sonar.core.views.page_not_found"
handler500 = "sonar.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include(API.document_urls())),
]

# French at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("sonar.core.urls")),
    path("diagnostic/", include("sonar.quiz.urls")),
    path("", include("sonar.atlas.urls")),
    path(_("ateliers/"), include("sonar.workshops.urls")),
    path(_("trajectoires/"), include("sonar.journeys.urls")),
    path(_("compte/"), include("sonar.accounts.urls")),
    path(_("carnets/"), include("sonar.logbook.urls")),
    prefix_default_language=False,
)
