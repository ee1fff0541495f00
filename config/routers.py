"""Reads of the dashboards and the report API from a PostgreSQL read replica.

Off unless ``DATABASE_REPLICA_URL`` names a streaming replica of the default database
(``config/settings/base.py`` then adds the ``"replica"`` alias and this router). Even then
nothing goes to the replica by default: only code run inside ``reading_from_replica()``
reads from it, and only the records the figures are computed from (``REPLICA_APPS``):

- the dashboards (``reports.views.DashboardView``: the page, its tables and downloads) and
  the report API (``reports.api.views``) run their work inside the scope;
- the admin, the REST API's record endpoints, the services and the management commands
  never enter it: they read what they have just written;
- inside the scope, users, groups, permissions, sessions, tokens, the login lockout's
  records and the users' areas (``access.models.UserArea``) are still read from the
  default database: they decide who may see what, and must not lag behind a change of
  password, role or area;
- a read inside a transaction on the default database stays there, so that it sees the
  transaction's own writes; every write goes to the default database, also for an object
  that was read from the replica.

The replica may be a moment behind the default database (streaming replication is
asynchronous): a figure on a dashboard may not yet count a decision issued a second ago.
The raw SQL of ``communes.selectors`` (the units' lineages and areas) asks the router too,
so it follows the scope; the area of a user (``access.areas``, raw SQL over the users' areas)
is always read from the default database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# The apps whose records the reports read: units, organisations and posts; cadres; decisions,
# movements, assignments and Party terms.
REPLICA_APPS = frozenset({"communes", "cadres", "rotation"})

# A context variable, not a global or a thread-local: each thread and each asyncio task
# (and each request served by either) has its own scope.
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Inside this block (or a function decorated with it), the reads of the reports'
    records go to the replica when one is configured; without one, nothing changes."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Sends the reads of ``REPLICA_APPS`` inside ``reading_from_replica()`` to the replica;
    everything else, writes and migrations included, to the default database."""

    def db_for_read(self, model, **hints) -> str | None:
        if not replica_configured():
            return None
        if (
            _reading_from_replica.get()
            and model._meta.app_label in REPLICA_APPS
            # Inside a transaction the default database holds writes the replica lacks.
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        # Explicitly the default: without an answer Django would follow an object read
        # from the replica back to it (``instance._state.db``), outside the scope too.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str | None:
        # Explicitly the default: an object read from the replica is saved on the primary.
        return DEFAULT_DB_ALIAS if replica_configured() else None

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the same rows as the default database.
        databases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        # The replica is read-only: it gets its tables by replication.
        if db == REPLICA:
            return False
        return None
