from django.urls import include, path

from equitable.api import api

urlpatterns = [
    path("", include("equitable.core.urls")),
    path("workforce/", include("equitable.workforce.urls")),
    path("standard/", include("equitable.standard.urls")),
    path("actions/", include("equitable.actions.urls")),
    path("incidents/", include("equitable.incidents.urls")),
    path("lifecycle/", include("equitable.lifecycle.urls")),
    path("surveys/", include("equitable.surveys.urls")),
    path("eqia/", include("equitable.eqia.urls")),
    path("service-users/", include("equitable.service_users.urls")),
    path("mentoring/", include("equitable.mentoring.urls")),
    path("training/", include("equitable.training.urls")),
    path("programmes/", include("equitable.programmes.urls")),
    path("publications/", include("equitable.publications.urls")),
    path("published/", include("equitable.publications.public_urls")),
    path("report-an-incident/", include("equitable.incidents.public_urls")),
    path("api/", api.urls),
]

handler403 = "equitable.core.errors.forbidden"
handler404 = "equitable.core.errors.not_found"
handler500 = "equitable.core.errors.server_error"
