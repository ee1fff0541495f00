"""System check: the dashboards' default day is a date (a typo would break every page)."""

import datetime

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_dashboard_defaults(app_configs, **kwargs):
    configured = getattr(settings, "DASHBOARD_DEFAULT_DATE", "")
    if not configured:
        return []
    try:
        datetime.date.fromisoformat(configured)
    except ValueError:
        return [
            Error(
                f"DASHBOARD_DEFAULT_DATE must be a date in the form YYYY-MM-DD, "
                f"not {configured!r}.",
                hint="Set the DASHBOARD_DEFAULT_DATE environment variable, e.g. "
                "'2023-06-30', or leave it empty for today.",
                id="reports.E001",
            )
        ]
    return []
