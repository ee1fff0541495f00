"""Writing the generated rows: COPY on PostgreSQL, ``executemany`` elsewhere (SQLite).

Both writers take rows in the column order of ``synthetic.generator.COLUMNS`` and write
them in batches, with the ids the generator gave. The whole run is one transaction (the
caller's): rows refer to rows written later, which the deferred foreign keys allow, and on
PostgreSQL the deferred constraint triggers check every assignment at commit. Then each
record gets its "created" history row, copied by the database itself
(``INSERT … SELECT``), so that the audit trail has no gap; and the id sequences are set
past the ids used.
"""

from __future__ import annotations

import datetime
import io
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable

from django.core.management.color import no_style
from django.db import DatabaseError, models

from cadres.models import Cadre, LocalityOverride
from communes.models import AdministrativeUnit, Organisation, Post, UnitSuccession
from rotation.models import Assignment, Decision, Movement, Term
from synthetic.generator import COLUMNS, TABLES

MODELS: dict[str, type[models.Model]] = {
    "term": Term,
    "unit": AdministrativeUnit,
    "succession": UnitSuccession,
    "organisation": Organisation,
    "post": Post,
    "cadre": Cadre,
    "decision": Decision,
    "movement": Movement,
    "assignment": Assignment,
}
# Every table of records: those written here, and those emptied with them by --replace.
RECORD_MODELS: tuple[type[models.Model], ...] = (*MODELS.values(), LocalityOverride)

# The audit columns of a history row (``audit.models.AuditedHistoricalModel`` and
# simple-history's own), besides the record's values.
HISTORY_COLUMNS = (
    "history_date",
    "history_type",
    "history_change_reason",
    "history_user_id",
    "history_username",
    "ip_address",
    "request_method",
    "request_path",
    "request_id",
    "command",
)
COMMAND = "generate_synthetic"


def history_model(model: type[models.Model]) -> type[models.Model]:
    return model.history.model


class Writer:
    """Batches rows per table; subclasses say how a batch reaches the database."""

    def __init__(
        self,
        connection,
        *,
        batch_size: int,
        progress: Callable[[int], None] | None = None,
    ):
        self.connection = connection
        self.batch_size = batch_size
        self.progress = progress or (lambda count: None)
        self.buffers: dict[str, list] = defaultdict(list)
        self.rows: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)
        self.history_rows: dict[str, int] = {}
        self.history_seconds: dict[str, float] = {}
        self.first: dict[str, int] = {}
        self.ops = connection.ops
        self.constraint_seconds = 0.0
        self.index_seconds = 0.0
        self.timings: list[tuple[str, float]] = []

    # ------------------------------------------------------------------ ids

    def first_ids(self) -> dict[str, int]:
        """The first free id of each table (one past the largest, 1 when empty)."""
        with self.connection.cursor() as cursor:
            for table, model in MODELS.items():
                cursor.execute(
                    f"SELECT COALESCE(MAX({self.ops.quote_name('id')}), 0) + 1 "
                    f"FROM {self.ops.quote_name(model._meta.db_table)}"
                )
                self.first[table] = cursor.fetchone()[0]
        return dict(self.first)

    # ------------------------------------------------------------------ rows

    def add(self, table: str, row: tuple) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= self.batch_size:
            self.flush(table)

    def flush(self, table: str) -> None:
        rows = self.buffers[table]
        if not rows:
            return
        self.buffers[table] = []
        started = time.perf_counter()
        self.write(table, rows)
        self.seconds[table] += time.perf_counter() - started
        self.rows[table] += len(rows)
        self.progress(len(rows))

    def flush_all(self) -> None:
        for table in TABLES:
            self.flush(table)

    def write(self, table: str, rows: list[tuple]) -> None:
        raise NotImplementedError

    def columns_sql(self, table: str) -> str:
        return ", ".join(self.ops.quote_name(column) for column in COLUMNS[table])

    # ------------------------------------------------------------------ history

    def write_history(self, *, now: datetime.datetime, reason: str) -> None:
        """One "created" history row per record written, copied by the database."""
        quote = self.ops.quote_name
        for table in TABLES:
            model = MODELS[table]
            first = self.first[table]
            columns = [field.column for field in model._meta.concrete_fields]
            record_columns = ", ".join(quote(column) for column in columns)
            audit_columns = ", ".join(quote(column) for column in HISTORY_COLUMNS)
            sql = (
                f"INSERT INTO {quote(history_model(model)._meta.db_table)} "
                f"({record_columns}, {audit_columns}) "
                f"SELECT {record_columns}, %s, '+', %s, NULL, '', NULL, '', '', '', %s "
                f"FROM {quote(model._meta.db_table)} WHERE {quote('id')} >= %s"
            )
            started = time.perf_counter()
            with self.connection.cursor() as cursor:
                cursor.execute(
                    sql, [self.ops.adapt_datetimefield_value(now), reason, COMMAND, first]
                )
                count = cursor.rowcount
            self.history_seconds[table] = time.perf_counter() - started
            self.history_rows[table] = count
            self.progress(count)

    def reset_sequences(self) -> None:
        """Set the id sequences past the ids written (PostgreSQL; nothing on SQLite)."""
        chosen = [*MODELS.values(), *(history_model(m) for m in MODELS.values())]
        statements = self.ops.sequence_reset_sql(no_style(), chosen)
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def before(self) -> None:
        """Set the session up for a large write (inside the caller's transaction)."""

    def close(self, *, abandon: bool = False) -> None:
        """Wait until every batch is written (or, abandoning, dropped)."""

    def after(self) -> None:
        """Undo what ``before`` did (only when everything before it succeeded)."""

    def after_history(self) -> None:
        """Undo the rest, once the history rows are written."""


def copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = (
                value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class CopyWriter(Writer):
    """PostgreSQL: each batch is one ``COPY … FROM STDIN`` from a buffer in memory.

    The batches are sent by a thread of their own, on the same connection (hence in the
    same transaction), so that the database stores one batch while the generator makes
    the next. Nothing else uses the connection meanwhile: ``close`` waits for the thread
    before anything else is asked of the database.
    """

    def __init__(self, connection, **kwargs):
        super().__init__(connection, **kwargs)
        self.pending: queue.Queue = queue.Queue(maxsize=4)
        self.worker: threading.Thread | None = None
        self.failure: BaseException | None = None
        self.abandoned = False

    def flush(self, table: str) -> None:
        rows = self.buffers[table]
        if not rows:
            return
        self.buffers[table] = []
        self.raise_failure()
        text = "\n".join("\t".join(map(copy_text, row)) for row in rows) + "\n"
        sql = (
            f"COPY {self.ops.quote_name(MODELS[table]._meta.db_table)} "
            f"({self.columns_sql(table)}) FROM STDIN"
        )
        if self.worker is None:
            self.worker = threading.Thread(
                target=self.send, args=(self.connection.connection,), name="synthetic-copy"
            )
            self.worker.start()
        self.pending.put((table, len(rows), sql, text))

    def send(self, raw_connection) -> None:
        cursor = raw_connection.cursor()
        try:
            while (item := self.pending.get()) is not None:
                if self.failure is not None or self.abandoned:
                    continue
                table, count, sql, text = item
                started = time.perf_counter()
                try:
                    cursor.copy_expert(sql, io.StringIO(text), size=1 << 20)
                except Exception as exc:  # handed to the main thread by raise_failure
                    self.failure = exc
                    continue
                self.seconds[table] += time.perf_counter() - started
                self.rows[table] += count
                self.progress(count)
        finally:
            cursor.close()

    def raise_failure(self) -> None:
        if self.failure is not None:
            failure, self.failure = self.failure, None
            self.close(abandon=True)
            raise DatabaseError(str(failure).strip()) from failure

    def flush_all(self) -> None:
        super().flush_all()
        self.close()
        self.raise_failure()

    def close(self, *, abandon: bool = False) -> None:
        if self.worker is None:
            return
        self.abandoned = self.abandoned or abandon
        self.pending.put(None)
        self.worker.join()
        self.worker = None

    def before(self) -> None:
        """Set the transaction up for a large load.

        The foreign keys and exclusion constraints of the tables written are dropped and
        added again by ``after`` with the same definitions, in the same transaction: adding
        one checks every row at once (a join, one index build) instead of row by row, and
        a row that breaks it makes the whole run fail and roll back. Since PostgreSQL's DDL
        is transactional, a failure before ``after`` rolls the drops back too: nothing is
        ever left without its constraints. The constraint triggers (seats within the
        post's seats) stay as they are and fire at commit.
        """
        tables = [MODELS[table]._meta.db_table for table in TABLES]
        with self.connection.cursor() as cursor:
            # One commit at the end: nothing is lost by not waiting for each WAL flush.
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype IN ('f', 'x') "
                "AND conrelid = ANY(%s::regclass[]) ORDER BY contype DESC, conrelid, conname",
                [tables],
            )
            self.dropped = cursor.fetchall()
            for table, name, _definition in self.dropped:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {self.ops.quote_name(name)}")
            # Plain indexes (search keys, foreign-key columns) of these tables and of their
            # history tables are built again in one pass each, from sorted rows.
            history_tables = [history_model(MODELS[table])._meta.db_table for table in TABLES]
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) "
                "AND NOT i.indisprimary AND NOT i.indisunique AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                "ORDER BY 1",
                [tables + history_tables],
            )
            self.dropped_indexes = cursor.fetchall()
            for name, _definition in self.dropped_indexes:
                cursor.execute(f"DROP INDEX {name}")

    def after(self) -> None:
        started = time.perf_counter()
        with self.connection.cursor() as cursor:
            # A table cannot be altered while its deferred trigger events wait: fire them now
            # (the seat checks, on the rows as they now stand and will be committed).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.timings.append(("deferred triggers", time.perf_counter() - started))
            for table, name, definition in getattr(self, "dropped", []):
                began = time.perf_counter()
                cursor.execute(
                    f"ALTER TABLE {table} ADD CONSTRAINT {self.ops.quote_name(name)} {definition}"
                )
                self.timings.append((f"{table}.{name}", time.perf_counter() - began))
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.constraint_seconds = time.perf_counter() - started

    def after_history(self) -> None:
        started = time.perf_counter()
        with self.connection.cursor() as cursor:
            # The history rows' deferred checks (their user) first, as for the constraints.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name, definition in getattr(self, "dropped_indexes", []):
                began = time.perf_counter()
                cursor.execute(definition)
                self.timings.append((f"index {name}", time.perf_counter() - began))
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.dropped_indexes = []
        self.index_seconds = time.perf_counter() - started
        self.dropped = []


class ExecutemanyWriter(Writer):
    """Any other database (SQLite in the tests): ``INSERT`` with ``executemany``."""

    def write(self, table: str, rows: list[tuple]) -> None:
        ops = self.ops
        adapted = [tuple(self.adapt(value) for value in row) for row in rows]
        placeholders = ", ".join(["%s"] * len(COLUMNS[table]))
        sql = (
            f"INSERT INTO {ops.quote_name(MODELS[table]._meta.db_table)} "
            f"({self.columns_sql(table)}) VALUES ({placeholders})"
        )
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, adapted)

    def adapt(self, value):
        if isinstance(value, datetime.datetime):
            return self.ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime.date):
            return self.ops.adapt_datefield_value(value)
        return value


def writer_for(connection, **kwargs) -> Writer:
    if connection.vendor == "postgresql":
        return CopyWriter(connection, **kwargs)
    return ExecutemanyWriter(connection, **kwargs)


# --------------------------------------------------------------------------- emptying


def blocking_records(*, using: str = "default") -> list[str]:
    """Rows outside the records that point at them (an account's area …): --replace
    would have to delete them too, so it refuses while there are any."""
    found = []
    chosen = set(RECORD_MODELS) | {history_model(m) for m in RECORD_MODELS}
    for model in RECORD_MODELS:
        for relation in model._meta.related_objects:
            other = relation.related_model
            if other in chosen or not other._meta.managed:
                continue
            if other._default_manager.db_manager(using).exists():
                found.append(str(other._meta.verbose_name_plural))
    return sorted(set(found))


def empty_records(connection) -> None:
    """Delete every record and its history (for --replace), in the caller's transaction."""
    chosen = [*RECORD_MODELS, *(history_model(m) for m in RECORD_MODELS)]
    tables = [connection.ops.quote_name(m._meta.db_table) for m in chosen]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # CASCADE reaches only tables that blocking_records found empty.
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
