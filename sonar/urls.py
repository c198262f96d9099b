from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from sonar.core import openapi
from sonar.core import views as core_views

handler400 = "sonar.core.views.bad_request"
handler403 = "sonar.core.views.permission_denied"
handler404 = "sonar.core.views.page_not_found"
handler500 = "sonar.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/openapi.json", openapi.document, name="api-openapi"),
    path("api/v1/", include("sonar.quiz.api_urls")),
    path("api/v1/", include("sonar.atlas.api_urls")),
    path("api/v1/", include("sonar.workshops.api_urls")),
    path("api/v1/", include("sonar.journeys.api_urls")),
]

# French at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("sonar.core.urls")),
    path("diagnostic/", include("sonar.quiz.urls")),
    path("", include("sonar.atlas.urls")),
    path("ateliers/", include("sonar.workshops.urls")),
    path("trajectoires/", include("sonar.journeys.urls")),
    path("compte/", include("sonar.accounts.urls")),
    path("carnets/", include("sonar.logbook.urls")),
    prefix_default_language=False,
)
