"""A backup of the whole database in one gzip file, and its restore.

The file is gzip-compressed UTF-8 JSON Lines:

- line 1, the header: ``{"format", "version", "created", "django", "database",
  "migrations"}``, the migrations being every ``[app, name]`` applied to the database
  backed up;
- then one record per line, model by model in primary-key order, as Django's JSON Lines
  serializer writes them (``{"model", "pk", "fields"}``), except that times keep their
  microseconds; content types and permissions are named by their natural keys;
- last line, the trailer: ``{"records": {model: rows}, "sha256"}``, the rows of every
  table (many-to-many tables included) and the SHA-256 of every line before it followed by
  the record counts.

Header and trailer are the manifest. Every model of every installed app is backed up,
found through the app registry, except what ``migrate`` makes again (content types and
permissions, referred to by natural key as Django's documentation advises) and sessions,
which a restore empties so that no session of the old database logs anyone in.

Backing up reads one consistent snapshot (on PostgreSQL a repeatable-read, read-only
transaction) and streams it to a temporary file beside the target, renamed over it once
complete. Restoring reads the file twice: first to check the manifest and the checksum
without writing anything, then to load it in one transaction, checked again (row counts,
foreign keys, the deferred constraints) before it commits.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import json
import os
import tempfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.serializers import base, jsonl, python
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "cadre-rotation-records"
VERSION = 1
# Made again by ``migrate`` (their ids may differ from one database to another, hence the
# natural keys), and sessions, emptied by every restore.
LEFT_OUT = ("contenttypes.contenttype", "auth.permission", "sessions.session")
NATURAL_KEYS = (ContentType, Permission)
SESSIONS = "sessions.session"
READ_CHUNK = 2000
WRITE_BATCH = 1000
# Without --replace, the rows a database already holds must be the backup's own; a table
# with more rows than this is refused at once rather than compared.
COMPARED_AT_MOST = 10_000


class BackupError(Exception):
    """A backup or restore that is refused or fails; the message is one line, for a person."""


@dataclass
class Summary:
    path: Path
    records: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.records.values())

    @property
    def tables(self) -> int:
        return len(self.records)


# --------------------------------------------------------------------------- what is backed up


def backed_up_models() -> list[type[models.Model]]:
    """Every model with a table of its own, of every installed app, but ``LEFT_OUT``."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in LEFT_OUT
    ]


def _many_to_many(model: type[models.Model]) -> list[models.ManyToManyField]:
    """The many-to-many fields whose table Django makes (the others are models of their own)."""
    return [f for f in model._meta.local_many_to_many if f.remote_field.through._meta.auto_created]


def _tables_of(backed_up: list[type[models.Model]]) -> dict[str, type[models.Model]]:
    """Label → model, for every backed-up model and every many-to-many table of theirs."""
    tables = {model._meta.label_lower: model for model in backed_up}
    for model in backed_up:
        for m2m in _many_to_many(model):
            through = m2m.remote_field.through
            tables[through._meta.label_lower] = through
    return tables


def _records(model: type[models.Model], using: str):
    """Every row of ``model`` in primary-key order, read in chunks, with its many-to-many."""
    queryset = model._base_manager.using(using).order_by("pk")
    for m2m in _many_to_many(model):
        if m2m.remote_field.model is Permission:
            lookup = Prefetch(m2m.name, Permission.objects.select_related("content_type"))
        else:
            lookup = Prefetch(m2m.name, m2m.remote_field.model._base_manager.only("pk"))
        queryset = queryset.prefetch_related(lookup)
    return queryset.iterator(chunk_size=READ_CHUNK)


# --------------------------------------------------------------------------- writing records


class _Encoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a restored record must be the same."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class RecordSerializer(jsonl.Serializer):
    """Django's JSON Lines serializer with primary keys everywhere, but content types and
    permissions by natural key; many-to-many lists sorted; rows counted per table."""

    def __init__(self, using: str = DEFAULT_DB_ALIAS):
        self.using = using
        self.counts: Counter[str] = Counter()

    def start_serialization(self):
        super().start_serialization()
        self.json_kwargs["cls"] = _Encoder

    def handle_fk_field(self, obj, field):
        target = field.remote_field.model
        if target is ContentType:
            # From the content types' cache: no query per row.
            pk = getattr(obj, field.attname)
            content_type = ContentType.objects.db_manager(self.using).get_for_id(pk) if pk else None
            self._current[field.name] = content_type.natural_key() if content_type else None
            return
        self.use_natural_foreign_keys = target in NATURAL_KEYS
        try:
            super().handle_fk_field(obj, field)
        finally:
            self.use_natural_foreign_keys = False

    def handle_m2m_field(self, obj, field):
        if not field.remote_field.through._meta.auto_created:
            return  # a model of its own, backed up as such
        self.use_natural_foreign_keys = field.remote_field.model in NATURAL_KEYS
        try:
            super().handle_m2m_field(obj, field)
        finally:
            self.use_natural_foreign_keys = False
        values = self._current[field.name] = sorted(self._current[field.name])
        self.counts[field.remote_field.through._meta.label_lower] += len(values)

    def end_object(self, obj):
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs) + "\n")
        self.counts[obj._meta.label_lower] += 1
        self._current = None


class _Hashing(io.RawIOBase):
    """Writes through to ``target`` and hashes what passes."""

    def __init__(self, target, digest):
        self.target = target
        self.digest = digest

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.digest.update(data)
        self.target.write(data)
        return len(data)


def _line(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, cls=_Encoder) + "\n"


def _counted(records: dict[str, int]) -> bytes:
    return json.dumps(records, sort_keys=True).encode()


def _migration_state(connection) -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


@contextmanager
def _snapshot(connection):
    """One consistent view of every table, however long the backup takes, while others
    keep writing (inside a transaction already, that transaction is the view)."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def back_up(path: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the whole database to ``path``: into a temporary file beside it, renamed over
    ``path`` once complete, so that ``path`` is never a half-written backup."""
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise BackupError(_("The folder %(folder)s does not exist.") % {"folder": folder})
    connection = connections[using]
    backed_up = backed_up_models()
    records = dict.fromkeys(sorted(_tables_of(backed_up)), 0)
    try:
        descriptor, partial = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".partial", dir=folder
        )
    except OSError as error:
        raise BackupError(
            _("%(file)s cannot be written: %(reason)s") % {"file": path, "reason": error.strerror}
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as raw:
            with gzip.GzipFile(filename=path.name, mode="wb", fileobj=raw) as compressed:
                digest = hashlib.sha256()
                text = io.TextIOWrapper(
                    io.BufferedWriter(_Hashing(compressed, digest), buffer_size=1 << 20),
                    encoding="utf-8",
                    newline="\n",
                )
                with _snapshot(connection):
                    header = {
                        "format": FORMAT,
                        "version": VERSION,
                        "created": timezone.now(),
                        "django": django.get_version(),
                        "database": connection.vendor,
                        "migrations": _migration_state(connection),
                    }
                    text.write(_line(header))
                    serializer = RecordSerializer(using)
                    for model in backed_up:
                        serializer.serialize(_records(model, using), stream=text)
                    text.flush()
                records.update(serializer.counts)
                digest.update(_counted(records))
                trailer = {"records": records, "sha256": digest.hexdigest()}
                compressed.write(_line(trailer).encode())
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
    except OSError as error:
        raise BackupError(
            _("%(file)s cannot be written: %(reason)s")
            % {"file": path, "reason": error.strerror or error}
        ) from None
    except DatabaseError as error:
        raise BackupError(
            _("The database cannot be read: %(reason)s") % {"reason": _first_line(error)}
        ) from None
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return Summary(path, records)


# --------------------------------------------------------------------------- reading and checking a file


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _lines(path: Path) -> Iterator[bytes]:
    """The lines of the gzip file ``path``; a damaged or cut file is a ``BackupError``."""
    try:
        with gzip.open(path, "rb") as stream:
            yield from stream
    except (OSError, EOFError, zlib.error) as error:
        raise BackupError(
            _("%(file)s is damaged or incomplete (%(reason)s); nothing was restored.")
            % {"file": path, "reason": _first_line(error)}
        ) from None


def _json(line: bytes, path: Path) -> dict:
    try:
        data = json.loads(line)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise BackupError(
            _("%(file)s is not a backup of these records, or it is damaged; nothing was restored.")
            % {"file": path}
        )
    return data


def _check_header(header: dict, path: Path) -> None:
    if header.get("format") != FORMAT:
        raise BackupError(
            _("%(file)s is not a backup of these records; nothing was restored.") % {"file": path}
        )
    if header.get("version") != VERSION:
        raise BackupError(
            _(
                "%(file)s is a backup in format version %(version)s; this program reads "
                "version %(ours)s. Restore it with the version of the program that made it."
            )
            % {"file": path, "version": header.get("version"), "ours": VERSION}
        )


def read_manifest(path: Path) -> tuple[dict, dict]:
    """Read the whole file once, writing nothing: the header, the trailer, and the checksum
    of everything between. Returns (header, trailer) or raises ``BackupError``."""
    digest = hashlib.sha256()
    header = previous = None
    for line in _lines(path):
        if header is None:
            header = _json(line, path)
            _check_header(header, path)  # refused at once, before reading the rest
        if previous is not None:
            digest.update(previous)
        previous = line
    if header is None:
        raise BackupError(_("%(file)s is empty; nothing was restored.") % {"file": path})
    trailer = _json(previous, path)
    if not isinstance(trailer.get("records"), dict) or "sha256" not in trailer:
        raise BackupError(
            _("%(file)s has no manifest at its end: it was cut short; nothing was restored.")
            % {"file": path}
        )
    digest.update(_counted(trailer["records"]))
    if trailer["sha256"] != digest.hexdigest():
        raise BackupError(
            _(
                "%(file)s does not match its checksum: it was changed or damaged after it was "
                "written; nothing was restored."
            )
            % {"file": path}
        )
    return header, trailer


def _check_migrations(header: dict, connection, path: Path) -> None:
    theirs = {tuple(item) for item in header.get("migrations") or []}
    ours = {tuple(item) for item in _migration_state(connection)}
    if theirs == ours:
        return
    only_theirs = sorted(f"{app}.{name}" for app, name in theirs - ours)
    only_ours = sorted(f"{app}.{name}" for app, name in ours - theirs)
    raise BackupError(
        _(
            "%(file)s was made at another migration state (only in the backup: %(theirs)s; "
            "only in this database: %(ours)s). Migrate this database to the backup's state "
            "first; nothing was restored."
        )
        % {
            "file": path,
            "theirs": ", ".join(only_theirs[:3]) + (" …" if len(only_theirs) > 3 else "") or "—",
            "ours": ", ".join(only_ours[:3]) + (" …" if len(only_ours) > 3 else "") or "—",
        }
    )


def _stored_records(path: Path, trailer: dict) -> Iterator[dict]:
    """The record lines of the file, parsed (the header and the trailer left out), checked
    against the checksum again at the end: the file may not change between the readings."""
    digest = hashlib.sha256()
    lines = _lines(path)
    header = next(lines, b"")
    digest.update(header)
    previous = None
    for line in lines:
        if previous is not None:
            digest.update(previous)
            yield _json(previous, path)
        previous = line
    digest.update(_counted(trailer["records"]))
    if digest.hexdigest() != trailer["sha256"]:
        raise BackupError(
            _(
                "%(file)s does not match its checksum: it was changed or damaged after it was "
                "written; nothing was restored."
            )
            % {"file": path}
        )


# --------------------------------------------------------------------------- restoring


def _empty(connection, tables: list[str]) -> None:
    """Empty ``tables`` inside the current transaction (TRUNCATE on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses a table with checks still pending in this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in connection.ops.sql_flush(no_style(), tables):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _already_stored(backed_up: list[type[models.Model]], using: str) -> dict[str, dict[str, dict]]:
    """The rows the database holds, serialized as in a backup, by model and primary key."""
    stored: dict[str, dict[str, dict]] = {}
    for model in backed_up:
        count = model._base_manager.using(using).count()
        if not count:
            continue
        if count > COMPARED_AT_MOST:
            raise BackupError(
                _(
                    "The database already holds records (%(name)s: %(count)s); restore with "
                    "--replace to empty it first, or into a new database."
                )
                % {"count": count, "name": model._meta.verbose_name_plural}
            )
        stream = io.StringIO()
        RecordSerializer(using).serialize(_records(model, using), stream=stream)
        rows = (json.loads(line) for line in stream.getvalue().splitlines())
        stored[model._meta.label_lower] = {json.dumps(row["pk"]): row for row in rows}
    return stored


class _Loader:
    """Inserts deserialized records in batches, one model at a time, as stored (no
    ``save()``, no signals, no ``auto_now``), with their many-to-many rows."""

    def __init__(self, using: str):
        self.using = using
        self.connection = connections[using]
        self.model: type[models.Model] | None = None
        self.batch: list[base.DeserializedObject] = []

    def add(self, item: base.DeserializedObject) -> None:
        if self.batch and type(item.object) is not self.model:
            self.flush()
        self.model = type(item.object)
        self.batch.append(item)
        if len(self.batch) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        model, objects = self.model, [item.object for item in self.batch]
        fields = [f for f in model._meta.local_concrete_fields if not f.generated]
        size = max(1, min(WRITE_BATCH, self.connection.ops.bulk_batch_size(fields, objects)))
        manager = model._base_manager.using(self.using)
        for start in range(0, len(objects), size):
            # What Model.save_base() does for one row, for a batch: raw, as stored.
            manager._insert(
                objects[start : start + size], fields=fields, raw=True, using=self.using
            )
        links: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        for item in self.batch:
            for name, targets in item.m2m_data.items():
                m2m = model._meta.get_field(name)
                through = m2m.remote_field.through
                source = through._meta.get_field(m2m.m2m_field_name()).attname
                target = through._meta.get_field(m2m.m2m_reverse_field_name()).attname
                links[through].extend(
                    through(**{source: item.object.pk, target: pk}) for pk in targets
                )
        for through, rows in links.items():
            through._base_manager.using(self.using).bulk_create(rows, batch_size=WRITE_BATCH)
        self.batch = []


def restore(path: Path | str, *, replace: bool = False, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Load the backup ``path`` into the database, in one transaction.

    Refused, writing nothing, when the file is damaged, cut short, changed since it was
    written, of another format version or migration state, or when the database holds
    records that the backup does not hold identically and ``replace`` is not given.
    With ``replace``, every table backed up is emptied first, in the same transaction.
    Sessions are always emptied.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no file %(file)s.") % {"file": path})
    connection = connections[using]
    header, trailer = read_manifest(path)
    _check_migrations(header, connection, path)
    backed_up = backed_up_models()
    tables = _tables_of(backed_up)
    expected: dict[str, int] = trailer["records"]
    if set(expected) != set(tables):
        raise BackupError(
            _("%(file)s holds other tables than this database's; nothing was restored.")
            % {"file": path}
        )
    sessions = (
        [apps.get_model(SESSIONS)._meta.db_table]
        if apps.is_installed("django.contrib.sessions")
        else []
    )
    try:
        with transaction.atomic(using=using):
            if replace:
                stored = {}
                _empty(connection, [model._meta.db_table for model in tables.values()] + sessions)
            else:
                stored = _already_stored(backed_up, using)
                _empty(connection, sessions)
            _load(path, trailer, tables, stored, using)
            leftover = {label: rows for label, rows in stored.items() if rows}
            if leftover:
                raise BackupError(
                    _(
                        "The database already holds records that the backup does not "
                        "(%(what)s); restore with --replace to empty it first, or into a new "
                        "database. Nothing was restored."
                    )
                    % {"what": _describe(leftover, tables)}
                )
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(
                    no_style(), list(tables.values())
                ):
                    cursor.execute(statement)
            connection.check_constraints(
                table_names=[model._meta.db_table for model in tables.values()]
            )
            for label, count in expected.items():
                found = tables[label]._base_manager.using(using).count()
                if found != count:
                    raise BackupError(
                        _(
                            "After loading, %(table)s holds %(found)s rows instead of the "
                            "backup's %(count)s; nothing was restored."
                        )
                        % {"table": label, "found": found, "count": count}
                    )
    except base.DeserializationError as error:
        raise BackupError(
            _("%(file)s cannot be read into this database (%(reason)s); nothing was restored.")
            % {"file": path, "reason": _first_line(error)}
        ) from None
    except DatabaseError as error:
        if replace:
            message = _("The database refused the records (%(reason)s); nothing was restored.")
        else:
            message = _(
                "The database refused the records (%(reason)s): it holds records that clash "
                "with the backup's; restore with --replace to empty it first. Nothing was "
                "restored."
            )
        raise BackupError(message % {"reason": _first_line(error)}) from None
    return Summary(path, expected)


def _load(
    path: Path,
    trailer: dict,
    tables: dict[str, type[models.Model]],
    stored: dict[str, dict[str, dict]],
    using: str,
) -> None:
    current: dict[str, dict] = {}

    def records() -> Iterator[dict]:
        for record in _stored_records(path, trailer):
            if record.get("model") not in tables:
                raise BackupError(
                    _("%(file)s holds records of %(model)s, which is not backed up here.")
                    % {"file": path, "model": record.get("model")}
                )
            current["record"] = record
            yield record

    loader = _Loader(using)
    for item in python.Deserializer(records(), using=using):
        record = current["record"]
        already = stored.get(record["model"])
        if already is not None:
            same = already.pop(json.dumps(record["pk"]), None)
            if same is not None:
                if same != record:
                    model = tables[record["model"]]
                    raise BackupError(
                        _(
                            "The database already holds %(name)s %(pk)s, different from the "
                            "backup's; restore with --replace to empty it first. Nothing was "
                            "restored."
                        )
                        % {"name": model._meta.verbose_name, "pk": record["pk"]}
                    )
                continue  # the very same record: kept as it is
        loader.add(item)
    loader.flush()


def _describe(leftover: dict[str, dict], tables: dict[str, type[models.Model]]) -> str:
    return ", ".join(
        f"{tables[label]._meta.verbose_name_plural}: {len(rows)}"
        for label, rows in sorted(leftover.items())
    )
