"""The read replica: the dashboards and the report API read the records from a PostgreSQL
streaming replica when ``DATABASE_REPLICA_URL`` names one (``config/routers.py``).

The first part checks the settings and the router's rules on any database. The last part
(PostgreSQL only) starts a real primary and a real hot standby streaming from it on this
machine, and reads the pages and the API through the router against them.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime
import importlib.util
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, InternalError, connection, connections, router, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.authtoken.models import Token

from access.models import UserArea
from cadres.models import Cadre
from cadres.tests.factories import CadreFactory
from communes.models import AdministrativeUnit, Post
from communes.tests.admin_support import hr_staff
from communes.tests.api_support import client_for
from config.routers import REPLICA, ReplicaRouter, reading_from_replica
from reports.tests.pages_support import official_user
from rotation.models import Assignment, Decision, Movement, MovementKind, Term

ROUTER = "config.routers.ReplicaRouter"
BASE_SETTINGS = Path(settings.BASE_DIR) / "config" / "settings" / "base.py"
D = datetime.date

# --------------------------------------------------------------------------- settings


def load_base_settings(monkeypatch, **environment: str | None):
    """``config/settings/base.py`` executed afresh in ``environment`` (None: unset)."""
    for name, value in environment.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", BASE_SETTINGS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_the_variable_there_is_no_replica_and_no_router(monkeypatch):
    base = load_base_settings(
        monkeypatch, DATABASE_URL="postgres://u@primary.example/records", DATABASE_REPLICA_URL=None
    )
    assert list(base.DATABASES) == ["default"]
    assert base.DATABASE_ROUTERS == []


def test_an_empty_variable_is_no_replica(monkeypatch):
    base = load_base_settings(
        monkeypatch, DATABASE_URL="postgres://u@primary.example/records", DATABASE_REPLICA_URL=""
    )
    assert list(base.DATABASES) == ["default"]
    assert base.DATABASE_ROUTERS == []


def test_the_variable_adds_the_replica_with_the_default_options(monkeypatch):
    base = load_base_settings(
        monkeypatch,
        DATABASE_URL="postgres://u@primary.example:5432/records",
        DATABASE_REPLICA_URL="postgres://u@standby.example:5433/records",
    )
    default, replica = base.DATABASES["default"], base.DATABASES["replica"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == (
        "standby.example",
        5433,
        "records",
    )
    for option in ("ENGINE", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS"):
        assert replica[option] == default[option], option
    assert replica["OPTIONS"]["options"] == "-c jit=off"
    # In tests the alias stands for the test database: never created, flushed or migrated.
    assert replica["TEST"] == {"MIRROR": "default"}
    assert base.DATABASE_ROUTERS == [ROUTER]


def test_a_replica_url_that_cannot_be_read_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_REPLICA_URL is not a database URL"):
        load_base_settings(
            monkeypatch,
            DATABASE_URL="postgres://u@primary.example/records",
            DATABASE_REPLICA_URL="nosuchengine://standby.example/records",
        )


def test_a_replica_of_another_engine_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="replica of DATABASE_URL's database"):
        load_base_settings(
            monkeypatch,
            DATABASE_URL=None,  # the SQLite file
            DATABASE_REPLICA_URL="postgres://u@standby.example/records",
        )


# --------------------------------------------------------------------------- the router's rules


@contextlib.contextmanager
def replica_alias(config: dict | None):
    """The "replica" alias set to ``config`` (None: removed), as ``DATABASE_REPLICA_URL``
    would, with the router installed; what was there before comes back at the end."""

    def drop_connection() -> None:
        if hasattr(connections._connections, REPLICA):
            connections[REPLICA].close()
            del connections[REPLICA]

    # ``connections.settings`` is ``settings.DATABASES``: the handler reads it afresh for an
    # alias it has not connected yet.
    assert connections.settings is settings.DATABASES
    before = settings.DATABASES.pop(REPLICA, None)
    drop_connection()
    if config is not None:
        settings.DATABASES[REPLICA] = config
    try:
        with override_settings(DATABASE_ROUTERS=[ROUTER]):
            yield
    finally:
        drop_connection()
        settings.DATABASES.pop(REPLICA, None)
        if before is not None:
            settings.DATABASES[REPLICA] = before


@pytest.fixture
def replica_configured():
    """A "replica" alias (a copy of the default's: the router never connects to it)."""
    config = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    with replica_alias({**config, "TEST": {**config["TEST"], "MIRROR": DEFAULT_DB_ALIAS}}):
        yield


@pytest.fixture
def no_replica():
    """No "replica" alias, as without ``DATABASE_REPLICA_URL``, and the router installed."""
    with replica_alias(None):
        yield


REPORT_MODELS = [AdministrativeUnit, Post, Cadre, Assignment, Movement, Decision, Term]
ACCESS_MODELS = [get_user_model(), Group, Permission, Session, Token, UserArea]


@pytest.mark.usefixtures("no_replica")
def test_without_a_replica_the_router_has_no_opinion():
    router_ = ReplicaRouter()
    with reading_from_replica():
        assert router_.db_for_read(Cadre) is None
        assert router_.db_for_write(Cadre) is None
        assert router.db_for_read(Cadre) == DEFAULT_DB_ALIAS


@pytest.mark.usefixtures("replica_configured")
@pytest.mark.parametrize("model", REPORT_MODELS, ids=lambda model: model.__name__)
def test_inside_the_scope_the_records_are_read_from_the_replica(model):
    assert router.db_for_read(model) == DEFAULT_DB_ALIAS
    with reading_from_replica():
        assert router.db_for_read(model) == REPLICA
    assert router.db_for_read(model) == DEFAULT_DB_ALIAS


@pytest.mark.usefixtures("replica_configured")
@pytest.mark.parametrize("model", ACCESS_MODELS, ids=lambda model: model.__name__)
def test_users_sessions_tokens_and_areas_are_always_read_from_the_default(model):
    with reading_from_replica():
        assert router.db_for_read(model) == DEFAULT_DB_ALIAS


@pytest.mark.usefixtures("replica_configured")
@pytest.mark.parametrize("model", REPORT_MODELS + ACCESS_MODELS, ids=lambda m: m.__name__)
def test_writes_always_go_to_the_default(model):
    read_from_replica = model()
    read_from_replica._state.db = REPLICA
    with reading_from_replica():
        assert router.db_for_write(model) == DEFAULT_DB_ALIAS
        assert router.db_for_write(model, instance=read_from_replica) == DEFAULT_DB_ALIAS


@pytest.mark.usefixtures("replica_configured")
def test_an_object_read_from_the_replica_is_followed_on_the_default_outside_the_scope():
    cadre = Cadre()
    cadre._state.db = REPLICA
    # Without the router's answer, Django would follow the object's database.
    assert router.db_for_read(Post, instance=cadre) == DEFAULT_DB_ALIAS


@pytest.mark.django_db
@pytest.mark.usefixtures("replica_configured")
def test_inside_a_transaction_reads_stay_on_the_default():
    # The test runs in a transaction (as the admin's and the API's writes do): what it
    # wrote is on the default database only.
    assert connections[DEFAULT_DB_ALIAS].in_atomic_block
    with reading_from_replica():
        assert router.db_for_read(Cadre) == DEFAULT_DB_ALIAS


@pytest.mark.usefixtures("replica_configured")
def test_objects_of_both_databases_may_be_related():
    on_default, on_replica = Cadre(), Post()
    on_default._state.db, on_replica._state.db = DEFAULT_DB_ALIAS, REPLICA
    assert router.allow_relation(on_default, on_replica) is True
    assert router.allow_relation(on_replica, on_replica) is True


@pytest.mark.usefixtures("replica_configured")
@pytest.mark.parametrize("app_label", ["communes", "cadres", "rotation", "auth", "access"])
def test_migrations_run_on_the_default_only(app_label):
    assert router.allow_migrate(DEFAULT_DB_ALIAS, app_label) is True
    assert router.allow_migrate(REPLICA, app_label) is False


@pytest.mark.usefixtures("replica_configured")
def test_the_scope_ends_with_its_block_even_on_an_error():
    with pytest.raises(RuntimeError), reading_from_replica():
        raise RuntimeError
    assert router.db_for_read(Cadre) == DEFAULT_DB_ALIAS

    @reading_from_replica()
    def read():
        return router.db_for_read(Cadre)

    assert read() == REPLICA
    assert router.db_for_read(Cadre) == DEFAULT_DB_ALIAS


@pytest.mark.usefixtures("replica_configured")
def test_the_scope_belongs_to_its_thread():
    """A request served by another thread at the same time is not in this one's scope."""
    seen: dict[str, str] = {}
    entered, checked = threading.Event(), threading.Event()

    def dashboard():
        with reading_from_replica():
            entered.set()
            checked.wait(5)
            seen["dashboard"] = router.db_for_read(Cadre)

    def admin():
        entered.wait(5)
        seen["admin"] = router.db_for_read(Cadre)
        checked.set()

    threads = [threading.Thread(target=dashboard), threading.Thread(target=admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"dashboard": REPLICA, "admin": DEFAULT_DB_ALIAS}


@pytest.mark.usefixtures("replica_configured")
def test_the_scope_belongs_to_its_task():
    """Under ASGI: a request handled by another task meanwhile is not in this one's scope."""

    async def both() -> list[str]:
        entered, checked = asyncio.Event(), asyncio.Event()

        async def dashboard() -> str:
            with reading_from_replica():
                entered.set()
                await checked.wait()
                return router.db_for_read(Cadre)

        async def admin() -> str:
            await entered.wait()
            try:
                return router.db_for_read(Cadre)
            finally:
                checked.set()

        return await asyncio.wait_for(asyncio.gather(dashboard(), admin()), 5)

    # In a thread of its own: the browser tests' Playwright leaves an event loop running
    # in this one, where asyncio.run() refuses to start another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, both()).result() == [REPLICA, DEFAULT_DB_ALIAS]


# --------------------------------------------------------------------------- who enters the scope


@pytest.fixture
def scope_at_call(monkeypatch):
    """Records, for each report selector called, whether it ran inside the scope."""
    from config import routers

    calls: list[tuple[str, bool]] = []

    def spy(module, name):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls.append((name, routers._reading_from_replica.get()))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    import reports.api.views
    import reports.views

    for module in (reports.views, reports.api.views):
        spy(module, "non_local_report")
        spy(module, "movement_report")
    return calls


@pytest.mark.django_db
def test_the_dashboards_and_the_report_api_run_inside_the_scope(world, area_units, scope_at_call):
    official = official_user(area=area_units)
    browser = Client()
    browser.force_login(official)

    page = browser.get("/dashboard/", {"unit": "350", "date": "2023-06-30"})
    answer = client_for(official).get(
        "/api/v1/reports/movements/", {"unit": "350", "from": "2020-10-01", "to": "2023-06-30"}
    )

    assert page.status_code == 200
    assert answer.status_code == 200, answer.content[:300]
    assert scope_at_call == [
        ("non_local_report", True),
        ("movement_report", True),
        ("movement_report", True),
    ]


# --------------------------------------------------------------------------- a real replica

PG_BIN_ROOT = Path("/usr/lib/postgresql")


@dataclass
class StreamingPair:
    """A PostgreSQL primary and a hot standby streaming from it, started for the tests."""

    primary_port: int
    standby_port: int
    workdir: Path

    def primary_lsn(self) -> str:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return cursor.fetchone()[0]

    def wait_for_replay(self, timeout: float = 30.0) -> None:
        """Until the standby has replayed everything the primary has committed so far."""
        target = self.primary_lsn()
        deadline = time.monotonic() + timeout
        with connections[REPLICA].cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if cursor.fetchone()[0]:
                    return
                if time.monotonic() > deadline:
                    raise AssertionError(f"the standby did not replay up to {target} in time")
                time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(command: list[str]) -> list[str]:
    """``command`` run as the postgres OS user: servers refuse to run as root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)
    if result.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def server_log(path: Path) -> str:
    return path.read_text(errors="replace")[-3000:] if path.exists() else "(no log)"


@pytest.fixture(scope="class")
def streaming_pair(django_db_setup, django_db_blocker):
    """A throwaway primary holding a copy of the test database, and a hot standby made from
    it by ``pg_basebackup -R -X stream``; for the class, the default database is that
    primary and the "replica" alias that standby, with the router installed.

    The shared server the other tests use (``DATABASE_URL``) is not the primary: its
    pg_hba.conf may refuse replication connections (this machine's does), and its base
    backup would copy every database on it. The throwaway one is made by ``initdb`` with the
    same binaries, and gets the test database (schema and the migrations' rows) by
    ``pg_dump``. Everything is stopped and removed at the end, also after a failure.
    """
    default = connections[DEFAULT_DB_ALIAS]
    with django_db_blocker.unblock(), default.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
        cursor.execute(
            "SELECT datcollate, datctype FROM pg_database WHERE datname = current_database()"
        )
        collate, ctype = cursor.fetchone()
    bindir = PG_BIN_ROOT / str(major) / "bin"
    if not (bindir / "pg_basebackup").exists() or not (bindir / "initdb").exists():
        pytest.skip(f"the PostgreSQL {major} server programs are not installed in {bindir}")
    if os.geteuid() != 0 and pwd.getpwuid(os.geteuid()).pw_name != "postgres":
        pytest.skip("starting a PostgreSQL server needs root (to run it as postgres) or postgres")

    def tool(name: str) -> str:
        return str(bindir / name)

    # Short: the servers' Unix sockets live here, and a socket path has at most 107 bytes.
    workdir = Path(tempfile.mkdtemp(prefix="cadres-replica-"))
    postgres = pwd.getpwnam("postgres")
    os.chown(workdir, postgres.pw_uid, postgres.pw_gid)
    workdir.chmod(0o700)
    primary, standby = workdir / "primary", workdir / "standby"
    primary_log, standby_log = workdir / "primary.log", workdir / "standby.log"
    primary_port, standby_port = free_port(), free_port()
    name = default.settings_dict["NAME"]
    saved = {key: default.settings_dict[key] for key in ("HOST", "PORT")}

    with contextlib.ExitStack() as cleanup:

        def stop(datadir: Path) -> None:
            if (datadir / "postmaster.pid").exists():
                subprocess.run(
                    as_postgres([tool("pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop"]),
                    capture_output=True,
                    timeout=60,
                )

        cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        run(
            as_postgres(
                [tool("initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust"]
                + ["-E", "UTF8", f"--lc-collate={collate}", f"--lc-ctype={ctype}"]
            )
        )
        with (primary / "postgresql.conf").open("a") as conf:
            # A throwaway server: no fsync; a few connections; streaming needs wal senders.
            conf.write(
                "\nlisten_addresses = '127.0.0.1'\nfsync = off\nmax_connections = 20\n"
                "shared_buffers = 16MB\nwal_level = replica\nmax_wal_senders = 4\n"
            )
        cleanup.callback(stop, primary)
        try:
            run(
                as_postgres(
                    [tool("pg_ctl"), "-D", str(primary), "-l", str(primary_log), "-w"]
                    + ["-o", f"-p {primary_port} -k {workdir}", "start"]
                )
            )
        except RuntimeError as error:
            raise RuntimeError(f"{error}\n{server_log(primary_log)}") from None
        primary_url = ["-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres"]
        run([tool("createdb"), *primary_url, "-T", "template0", name])
        dump = run(
            [tool("pg_dump"), "--no-owner", "--no-privileges", "-d", name]
            + ["-h", str(saved["HOST"] or "127.0.0.1"), "-p", str(saved["PORT"] or 5432)]
            + ["-U", default.settings_dict["USER"] or "postgres"],
            env={**os.environ, "PGPASSWORD": default.settings_dict.get("PASSWORD") or ""},
        )
        run(
            [tool("psql"), *primary_url, "-d", name, "-q", "-v", "ON_ERROR_STOP=1"],
            input=dump.stdout,
        )

        run(
            as_postgres(
                [tool("pg_basebackup"), *primary_url, "-D", str(standby)]
                + ["-R", "-X", "stream", "-c", "fast"]
            )
        )
        cleanup.callback(stop, standby)
        try:
            run(
                as_postgres(
                    [tool("pg_ctl"), "-D", str(standby), "-l", str(standby_log), "-w"]
                    + ["-o", f"-p {standby_port} -k {workdir} -c hot_standby=on", "start"]
                )
            )
        except RuntimeError as error:
            raise RuntimeError(f"{error}\n{server_log(standby_log)}") from None

        # The default database is the primary, for this class's tests.
        default.close()
        default.settings_dict.update(HOST="127.0.0.1", PORT=primary_port)

        def restore_default() -> None:
            default.close()
            default.settings_dict.update(saved)

        cleanup.callback(restore_default)
        # The replica: the default's settings, the standby's port. A test mirror, so that
        # the test case neither flushes it (it is read-only) nor checks it for access.
        replica = copy.deepcopy(default.settings_dict)
        replica.update(PORT=standby_port, TEST={**replica["TEST"], "MIRROR": DEFAULT_DB_ALIAS})
        cleanup.enter_context(replica_alias(replica))

        deadline = time.monotonic() + 60
        with django_db_blocker.unblock():
            while True:
                try:
                    with connections[REPLICA].cursor() as cursor:
                        cursor.execute("SELECT pg_is_in_recovery()")
                        if cursor.fetchone()[0]:
                            break
                except Exception as error:  # not accepting connections yet
                    if time.monotonic() > deadline:
                        raise RuntimeError(
                            f"the standby did not start: {error}\n{server_log(standby_log)}"
                        ) from error
                    connections[REPLICA].close()
                time.sleep(0.1)
            connections[REPLICA].close()
        yield StreamingPair(primary_port, standby_port, workdir)


def is_report_read(sql: str) -> bool:
    return any(f'"{table}"' in sql for table in ("cadres_cadre", "rotation_assignment"))


ACCESS_TABLES = ("auth_", "authtoken_", "django_session", "axes_", "access_")


def is_area_query(sql: str) -> bool:
    """The recursive query of a user's area (``access.areas.visible_units_of``)."""
    return sql.lstrip().startswith("WITH RECURSIVE") and "access_userarea" in sql


def is_lineage_query(sql: str) -> bool:
    """A recursive query over the units' lineage (``communes.selectors``)."""
    return sql.lstrip().startswith("WITH RECURSIVE") and "access_userarea" not in sql


def on_default_by_design(sql: str) -> bool:
    """A query the dashboards and the report API run on the default database, replica or not."""
    tables = re.findall(r'FROM "(\w+)"', sql)
    if is_area_query(sql):
        return True
    return bool(tables) and all(table.startswith(ACCESS_TABLES) for table in tables)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="streaming replication is PostgreSQL's"
)
@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
@pytest.mark.usefixtures("streaming_pair", "committed_db")
class TestOnARealStreamingReplica:
    def test_the_replica_is_a_streaming_standby_that_refuses_writes(self, streaming_pair):
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
            assert cursor.fetchone() == (False, streaming_pair.primary_port)
            cursor.execute("SELECT state FROM pg_stat_replication")
            assert cursor.fetchall() == [("streaming",)]
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
            assert cursor.fetchone() == (True, streaming_pair.standby_port)
            cursor.execute("SELECT status FROM pg_stat_wal_receiver")
            assert cursor.fetchall() == [("streaming",)]

        with pytest.raises(InternalError, match="read-only transaction"):
            Cadre.objects.using(REPLICA).filter(pk=0).update(full_name="x")
        with (
            pytest.raises(InternalError, match="read-only transaction"),
            connections[REPLICA].cursor() as cursor,
        ):
            cursor.execute("CREATE TABLE written_on_the_standby (id int)")

    def test_a_committed_record_reaches_the_replica_once_replayed(self, streaming_pair, world):
        cadre = CadreFactory(full_name="Người Mới Ghi", hometown=world.communes[0])
        streaming_pair.wait_for_replay()

        with (
            CaptureQueriesContext(connections[REPLICA]) as on_replica,
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_default,
            reading_from_replica(),
        ):
            found = Cadre.objects.get(pk=cadre.pk)
        assert found.full_name == "Người Mới Ghi"
        assert found._state.db == REPLICA
        assert (len(on_replica), len(on_default)) == (1, 0)

    def test_a_read_after_a_write_in_a_transaction_stays_on_the_primary(self, world):
        with (
            CaptureQueriesContext(connections[REPLICA]) as on_replica,
            reading_from_replica(),
            transaction.atomic(),
        ):
            cadre = CadreFactory(hometown=world.communes[0])
            assert Cadre.objects.filter(pk=cadre.pk).exists()
        assert len(on_replica) == 0

    def test_dashboards_and_report_api_read_the_replica_with_the_same_figures(
        self, streaming_pair, world, make_cadre, hr
    ):
        # Lê Hồ's and Quế's Party secretaries are not local, Tân Sơn's is.
        for commune, hometown in ((0, 1), (1, 1), (2, 0)):
            hr.seat(make_cadre(hometown), world.post(commune, "party_secretary"))
        mover = make_cadre(1)
        hr.seat(mover, world.post(1, "standing_deputy_secretary"))
        hr.move(MovementKind.TRANSFER, mover, world.district_posts["head"], D(2021, 3, 1))
        official = official_user(area=[world.province])
        streaming_pair.wait_for_replay()

        browser = Client()
        browser.force_login(official)
        api = client_for(official)
        day = {"unit": "350", "date": "2023-06-30"}
        period = {"unit": "350", "from": "2020-10-01", "to": "2023-06-30"}

        def read_all():
            csv = browser.get("/dashboard/", {**day, "export": "csv", "table": "non_local"})
            page = browser.get("/dashboard/movements/", period)
            non_local = api.get("/api/v1/reports/non-local/", day)
            movements = api.get("/api/v1/reports/movements/", period)
            for response in (csv, page, non_local, movements):
                assert response.status_code == 200, response.content[:300]
            return csv.content, non_local.json(), movements.json()

        with override_settings(DATABASE_ROUTERS=[]):
            without_replica = read_all()
        with (
            CaptureQueriesContext(connections[REPLICA]) as on_replica,
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_default,
        ):
            with_replica = read_all()

        assert with_replica == without_replica
        secretaries = next(r for r in without_replica[1]["roles"] if r["role"] == "party_secretary")
        assert (secretaries["non_local"], secretaries["units_total"]) == (2, 3), secretaries
        assert without_replica[2]["total"] == 1, without_replica[2]
        replica_sql = [query["sql"] for query in on_replica.captured_queries]
        assert any(is_report_read(sql) for sql in replica_sql), replica_sql
        # The units' lineages (raw SQL of ``communes.selectors``) follow the scope too.
        assert any(is_lineage_query(sql) for sql in replica_sql), replica_sql
        # On the default: the session, the user, their groups and permissions, and the
        # recursive query of the user's area (``access.areas``).
        default_sql = [query["sql"] for query in on_default.captured_queries]
        assert [sql for sql in default_sql if not on_default_by_design(sql)] == []
        assert any(is_area_query(sql) for sql in default_sql)
        assert not any(is_lineage_query(sql) for sql in default_sql)

    def test_the_admin_and_the_record_endpoints_do_not_touch_the_replica(self, world):
        cadre = CadreFactory(hometown=world.communes[0])
        staff = hr_staff(area=[world.province])
        browser = Client()
        browser.force_login(staff)
        api = client_for(staff)
        url = f"/api/v1/cadres/{cadre.pk}/"
        with (
            CaptureQueriesContext(connections[REPLICA]) as on_replica,
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_default,
        ):
            responses = [
                browser.get("/admin/cadres/cadre/"),
                browser.get(f"/admin/cadres/cadre/{cadre.pk}/change/"),
                api.get("/api/v1/cadres/"),
                api.get(url),
            ]
            changed = api.patch(
                url, {"full_name": "Tên Mới"}, format="json", HTTP_IF_MATCH=responses[-1]["ETag"]
            )
        for response in [*responses, changed]:
            assert response.status_code == 200, response.content[:300]
        assert changed.json()["full_name"] == "Tên Mới"
        assert len(on_replica) == 0, on_replica.captured_queries
        assert any(is_report_read(query["sql"]) for query in on_default.captured_queries)
