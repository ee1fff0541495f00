"""``/api/v1/``: every app's endpoints, the OpenAPI schema and its documentation."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.api.errors import NotFoundView

urlpatterns = [
    path("", include("communes.api.urls")),
    path("", include("cadres.api.urls")),
    path("", include("rotation.api.urls")),
    path("reports/", include("reports.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file of its own (?script),
    # so that the Content Security Policy needs no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    # Session login for the browsable API (HR staff trying the API in the browser).
    path("auth/", include("config.api.auth_urls")),
    # Last: any other address ending in a slash is a JSON 404 (without the slash, Django
    # first redirects to it, as everywhere else).
    re_path(r"^.*/$", NotFoundView.as_view(), name="api-not-found"),
]
