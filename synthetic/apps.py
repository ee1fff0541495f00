from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyntheticConfig(AppConfig):
    """``generate_synthetic``: national-scale synthetic records for benchmarks and tests."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "synthetic"
    verbose_name = _("synthetic records")
