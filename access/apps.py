from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = _("roles and areas")

    def ready(self) -> None:
        from access.roles import sync_roles

        # The four groups get their permissions from ``access.roles`` after every migrate,
        # so that the permissions of models added later reach them too.
        post_migrate.connect(sync_roles, dispatch_uid="access_sync_roles")
