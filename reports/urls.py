"""``/dashboard/``: the officials' pages (namespace ``reports``)."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("units/<int:pk>/", views.UnitView.as_view(), name="unit"),
    path("cadres/<int:pk>/", views.CadreView.as_view(), name="cadre"),
    path("returns/", views.ReturnsView.as_view(), name="returns"),
    path("vacancies/", views.VacanciesView.as_view(), name="vacancies"),
    path("movements/", views.MovementsView.as_view(), name="movements"),
]
