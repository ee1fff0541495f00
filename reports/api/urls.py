"""API routes of the reports."""

from django.urls import path

from reports.api.views import MovementReportView, NonLocalReportView

urlpatterns = [
    path("non-local/", NonLocalReportView.as_view(), name="report-non-local"),
    path("movements/", MovementReportView.as_view(), name="report-movements"),
]
