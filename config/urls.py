from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("Cadre rotation records")
admin.site.site_title = _("Cadre rotation")
admin.site.index_title = _("Records")


def no_favicon(request):
    """Browsers ask every site for /favicon.ico: there is none (and no 404 in their console)."""
    return HttpResponse(status=204)


urlpatterns = [
    path("favicon.ico", no_favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", RedirectView.as_view(pattern_name="reports:overview", permanent=False)),
    # Officials who are not staff log in here; HR staff may too, or at /admin/.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    # Back to this login page; logging out of the admin still shows the admin's own page.
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("dashboard/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api.urls")),
]
