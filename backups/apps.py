from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """Backing up and restoring the whole database (``backup_records``, ``restore_records``)."""

    name = "backups"
    verbose_name = _("backups")
