from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("audit trail")

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from audit.context import fill_origin

        pre_create_historical_record.connect(fill_origin, dispatch_uid="audit_fill_origin")
