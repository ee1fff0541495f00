"""The PostgreSQL connections run without JIT: the application's queries are short, and
JIT compiled the recursive queries over the units' lineage for tens of milliseconds each."""

from __future__ import annotations

import pytest
from django.db import connection

from config.settings.base import database_from_env


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is PostgreSQL's")
def test_postgresql_connections_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_options_given_in_the_url_are_kept(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://u@db.example/records?options=-c%20statement_timeout%3D5000"
    )
    options = database_from_env(tmp_path / "unused.sqlite3")["OPTIONS"]["options"]
    assert options == "-c statement_timeout=5000 -c jit=off"


def test_sqlite_gets_no_postgresql_options(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_env(tmp_path / "db.sqlite3")
    assert "options" not in config["OPTIONS"]
