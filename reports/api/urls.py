"""API routes of the reports."""

from django.urls import path

from reports.api.views import MovementReportView, NationalNonLocalView, NonLocalReportView

urlpatterns = [
    path("non-local/", NonLocalReportView.as_view(), name="report-non-local"),
    path("non-local/national/", NationalNonLocalView.as_view(), name="report-non-local-national"),
    path("movements/", MovementReportView.as_view(), name="report-movements"),
]
