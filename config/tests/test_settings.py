"""Settings come from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from config.env import env_bool, env_list
from config.settings.base import database_from_env

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python("import config.settings.production", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_python("import config.settings.production", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_its_environment():
    result = run_python(
        "import config.settings.production as s; print(s.DEBUG, s.ALLOWED_HOSTS, s.TIME_ZONE, s.LANGUAGE_CODE)",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="cadres.example.org,localhost",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "['cadres.example.org',",
        "'localhost']",
        "Asia/Ho_Chi_Minh",
        "vi",
    ]


def test_sqlite_file_is_the_default_database(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_env(tmp_path / "records.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "records.sqlite3")


def test_database_url_selects_postgresql(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://hr@db.example.org:5433/cadres")
    config = database_from_env(tmp_path / "unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "db.example.org",
        5433,
        "cadres",
        "hr",
    )


def test_malformed_database_url_is_a_configuration_error(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "nosuchdb://x")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_env(tmp_path / "unused.sqlite3")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("off", False), ("", False)]
)
def test_env_bool_reads_common_words(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", default=not expected) is expected


def test_env_bool_rejects_other_words(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", default=False)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , b.example,,")
    assert env_list("HOSTS", default=[]) == ["a.example", "b.example"]


def test_time_zone_and_languages(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]


def test_system_check_rejects_an_unknown_locality_basis(settings):
    from django.core.management.base import SystemCheckError

    settings.CADRE_LOCALITY_BASES = ("hometown", "favourite_cafe")
    with pytest.raises(SystemCheckError, match=r"cadres\.E001"):
        call_command("check")


def test_system_check_passes_with_the_default_rule():
    call_command("check")
