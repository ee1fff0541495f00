"""``/api/v1/auth/``: log in and out of the browsable API with a session (DRF's pages).

What ``rest_framework.urls`` provides, with the browsable API's inline styles allowed on
the login page (``config.api.renderers``). django-axes guards this login like the others.
"""

from csp.decorators import csp_replace
from django.contrib.auth import views as auth_views
from django.urls import path

from config.api.renderers import DRF_STYLES

app_name = "rest_framework"

urlpatterns = [
    path(
        "login/",
        csp_replace(DRF_STYLES)(
            auth_views.LoginView.as_view(template_name="rest_framework/login.html")
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
