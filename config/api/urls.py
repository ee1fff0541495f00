"""``/api/v1/``: every app's endpoints, the OpenAPI schema and its documentation."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.api.errors import NotFoundView

urlpatterns = [
    path("", include("communes.api.urls")),
    path("", include("cadres.api.urls")),
    path("", include("rotation.api.urls")),
    path("reports/", include("reports.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Last: any other address ending in a slash is a JSON 404 (without the slash, Django
    # first redirects to it, as everywhere else).
    re_path(r"^.*/$", NotFoundView.as_view(), name="api-not-found"),
]
