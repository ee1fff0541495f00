"""``backup_records`` and ``restore_records``: the whole database into one file and back.

The round trips run on the Kim Bảng records: the figures of the press report (non-local
key cadres on 30/06/2023, the movements of the term since 01/10/2020, the quarterly
trend) and the rows of every table are computed before the backup and after the restore,
and must be identical; a second backup of the restored database holds the very same
records, line for line. Every refusal (a damaged, cut, edited file, another version or
migration state, a database holding other records) is one line and writes nothing.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import json
import stat
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections
from django.db.migrations.recorder import MigrationRecorder
from rest_framework.authtoken.models import Token

from access.models import UserArea
from backups import archive
from backups.archive import RecordSerializer, backed_up_models
from cadres.models import Cadre
from cadres.tests.factories import CadreFactory
from communes.selectors import unit_on
from reports.selectors import movement_report, non_local_report, non_local_trend
from rotation.models import Decision, DecisionStatus
from rotation.services import decision_issue

pytestmark = pytest.mark.usefixtures("english")

D = datetime.date
MID_TERM = D(2023, 6, 30)
TERM_START = D(2020, 10, 1)


# --------------------------------------------------------------------------- what is compared


def figures() -> dict:
    """The press report's figures for Kim Bảng (350), computed by the report selectors."""
    district = unit_on("350", MID_TERM)
    return {
        "non_local": non_local_report(unit=district, day=MID_TERM).to_dict(),
        "movements": movement_report(unit=district, start=TERM_START, end=MID_TERM).to_dict(),
        "trend": non_local_trend(unit=district, start=TERM_START, end=MID_TERM).to_dict(),
    }


def row_counts() -> dict[str, int]:
    """Rows of every table Django knows, many-to-many tables included (sessions aside)."""
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower != archive.SESSIONS
    }


def database_contents() -> str:
    """Every backed-up record as a backup writes it: equal strings, equal databases."""
    stream = io.StringIO()
    serializer = RecordSerializer()
    for model in backed_up_models():
        serializer.serialize(archive._records(model, "default"), stream=stream)
    return stream.getvalue()


def record_lines(path: Path) -> list[str]:
    """The record lines of a backup file (its header and trailer left out)."""
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return stream.read().splitlines()[1:-1]


def others_from_every_app() -> None:
    """Records of the apps around the rotation records: an account with its group, its own
    permission, a token, an area, and an entry of the admin's log."""
    user = get_user_model().objects.create_user(username="hr.backup", password="not-used-1")
    user.groups.add(Group.objects.order_by("pk").first())
    user.user_permissions.add(Permission.objects.get(codename="view_cadre"))
    Token.objects.create(user=user)
    UserArea.objects.create(user=user, unit=unit_on("350", MID_TERM))
    decision = Decision.objects.order_by("pk").first()
    LogEntry.objects.log_actions(user_id=user.pk, queryset=[decision], action_flag=ADDITION)


@pytest.fixture
def fresh_content_types():
    """The content types' cache is the process's: emptied after a test that moved their ids."""
    yield
    ContentType.objects.clear_cache()


def move_content_type_ids() -> None:
    """Give every content type and permission another id, as a database migrated apart
    would: the backup names them by natural key, so the restore must find them again."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auth_permission SET content_type_id = content_type_id + 1000")
        cursor.execute("UPDATE django_content_type SET id = id + 1000")
        cursor.execute("UPDATE auth_permission SET id = id + 1000")
    ContentType.objects.clear_cache()


def empty_every_backed_up_table() -> None:
    tables = archive._tables_of(backed_up_models())
    archive._empty(connection, [model._meta.db_table for model in tables.values()])


# --------------------------------------------------------------------------- refusals: one line, nothing written


@pytest.fixture
def records(world, hr, make_cadre):
    """A small district with two cadres in post, and a user with a token."""
    hr.seat(make_cadre(0, full_name="Đinh Hồng Kiên"), world.post(0, "party_secretary"))
    hr.seat(make_cadre(1), world.post(1, "party_secretary"))
    Token.objects.create(user=get_user_model().objects.create_user(username="api.tinh"))


@pytest.fixture
def backup(records, tmp_path) -> Path:
    path = tmp_path / "records.jsonl.gz"
    archive.back_up(path)
    return path


def rewrite(path: Path, edit, *, fix_checksum: bool) -> None:
    """Decompress ``path``, let ``edit`` change its list of parsed lines, write it back."""
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        lines = [json.loads(line) for line in stream.read().splitlines()]
    edit(lines)
    text = [json.dumps(line, ensure_ascii=False) + "\n" for line in lines]
    if fix_checksum:
        digest = hashlib.sha256("".join(text[:-1]).encode())
        digest.update(json.dumps(lines[-1]["records"], sort_keys=True).encode())
        lines[-1]["sha256"] = digest.hexdigest()
        text[-1] = json.dumps(lines[-1]) + "\n"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write("".join(text))


def refused(path: Path, *, replace: bool = False) -> str:
    """Restore ``path``: refused with one line, and nothing written. Returns the line."""
    contents, sessions = database_contents(), row_counts()
    with pytest.raises(CommandError) as caught:
        call_command("restore_records", input=str(path), replace=replace, stdout=io.StringIO())
    message = str(caught.value)
    assert "\n" not in message, message
    assert database_contents() == contents
    assert row_counts() == sessions
    return message


def test_a_backup_is_written_whole_and_readable_by_its_owner_only(backup):
    header, trailer = archive.read_manifest(backup)

    assert (header["format"], header["version"]) == (archive.FORMAT, archive.VERSION)
    assert trailer["records"]["cadres.cadre"] == Cadre.objects.count()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # it holds personal data


def test_a_damaged_file_is_refused(backup):
    data = bytearray(backup.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(b ^ 0xFF for b in data[middle : middle + 16])
    backup.write_bytes(bytes(data))

    assert "is damaged or incomplete" in refused(backup)


def test_a_file_cut_short_is_refused(backup):
    backup.write_bytes(backup.read_bytes()[: backup.stat().st_size * 2 // 3])

    assert "is damaged or incomplete" in refused(backup)


def test_a_file_whose_manifest_was_cut_off_is_refused(backup):
    rewrite(backup, lambda lines: lines.pop(), fix_checksum=False)

    assert "has no manifest at its end" in refused(backup)


def test_a_record_edited_after_the_backup_is_refused(backup):
    def rename(lines):
        for line in lines:
            if line.get("model") == "cadres.cadre":
                line["fields"]["full_name"] = "Người Khác"

    rewrite(backup, rename, fix_checksum=False)

    assert "does not match its checksum" in refused(backup)


def test_a_file_changed_between_the_check_and_the_load_is_refused(backup, monkeypatch):
    checked = archive.read_manifest(backup)
    monkeypatch.setattr(archive, "read_manifest", lambda path: checked)

    def rename(lines):
        for line in lines:
            if line.get("model") == "cadres.cadre":
                line["fields"]["full_name"] = "Người Khác"

    rewrite(backup, rename, fix_checksum=False)

    assert "does not match its checksum" in refused(backup, replace=True)


@pytest.mark.parametrize(
    "edit",
    [
        lambda lines: lines[-1]["records"].update({"cadres.cadre": 3}),
        lambda lines: lines[0].update({"created": "2020-01-01T00:00:00+00:00"}),
        lambda lines: lines[0]["migrations"].pop(),
    ],
    ids=["row count", "date of the backup", "migration state"],
)
def test_an_edited_manifest_is_refused(backup, edit):
    rewrite(backup, edit, fix_checksum=False)

    assert "does not match its checksum" in refused(backup)


def test_a_backup_of_another_format_version_is_refused(backup):
    rewrite(backup, lambda lines: lines[0].update({"version": 2}), fix_checksum=True)

    message = refused(backup)

    assert "format version 2; this program reads version 1" in message


def test_a_file_that_is_not_a_backup_is_refused(records, tmp_path):
    path = tmp_path / "notes.jsonl.gz"
    with gzip.open(path, "wt") as stream:
        stream.write('{"note": "not a backup"}\n')

    assert "is not a backup of these records" in refused(path)


def test_a_backup_made_at_another_migration_state_is_refused(backup):
    MigrationRecorder(connection).record_applied("rotation", "9999_made_later")

    message = refused(backup)

    assert "another migration state" in message
    assert "only in this database: rotation.9999_made_later" in message


def test_a_database_holding_other_records_is_refused_without_replace(backup, make_cadre):
    make_cadre(2, full_name="Người Mới")

    message = refused(backup)

    assert "already holds records that the backup does not (cadres: 1" in message
    assert "--replace" in message


def test_a_database_holding_a_changed_record_is_refused_without_replace(backup):
    Cadre.objects.filter(full_name="Đinh Hồng Kiên").update(full_name="Đinh Hồng Kiến")

    message = refused(backup)

    assert "different from the backup's" in message


def test_a_database_holding_a_clashing_record_is_refused_without_replace(backup):
    group = Group.objects.order_by("pk").first()
    group.delete()
    Group.objects.create(name=group.name)  # the same name under another id

    message = refused(backup)

    assert "clash with the backup's; restore with --replace" in message


def test_the_database_the_backup_came_from_takes_it_back_unchanged(backup):
    contents = database_contents()

    call_command("restore_records", input=str(backup), stdout=io.StringIO())

    assert database_contents() == contents


def test_a_missing_file_is_refused(records, tmp_path):
    assert "There is no file" in refused(tmp_path / "nowhere.jsonl.gz")


def test_a_backup_into_a_missing_folder_is_refused(records, tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("backup_records", output=str(tmp_path / "no" / "b.jsonl.gz"))

    assert str(caught.value).startswith("The folder ")


def test_a_backup_that_fails_leaves_the_previous_file_and_no_partial_one(
    records, tmp_path, monkeypatch
):
    path = tmp_path / "records.jsonl.gz"
    archive.back_up(path)
    previous = path.read_bytes()
    read = archive._records

    def fail_at_cadres(model, using):
        if model is Cadre:
            raise DatabaseError("server closed the connection unexpectedly")
        return read(model, using)

    monkeypatch.setattr(archive, "_records", fail_at_cadres)

    with pytest.raises(CommandError) as caught:
        call_command("backup_records", output=str(path))

    assert "The database cannot be read: server closed the connection" in str(caught.value)
    assert path.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.jsonl.gz"]


def test_the_command_line_prints_one_line_and_exits_with_status_1(backup, capsys, monkeypatch):
    rewrite(backup, lambda lines: lines[0].update({"version": 2}), fix_checksum=True)
    # The command closes the database connections when it ends; the test's is kept.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exit:
        ManagementUtility(["manage.py", "restore_records", "--input", str(backup)]).execute()

    assert exit.value.code == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("CommandError: ")
    assert "format version 2" in line


# --------------------------------------------------------------------------- round trips on the Kim Bảng records
# Last in the module: the Kim Bảng records stay loaded from the first test that asks
# for them to the end of the module.


@pytest.mark.usefixtures("kim_bang")
class TestRoundTrip:
    def test_restore_into_an_empty_database_gives_back_every_figure_and_record(
        self, db, tmp_path, fresh_content_types
    ):
        others_from_every_app()
        before = figures(), row_counts()
        backup = tmp_path / "records.jsonl.gz"
        call_command("backup_records", output=str(backup), stdout=io.StringIO())

        empty_every_backed_up_table()
        move_content_type_ids()
        assert Cadre.objects.count() == 0
        out = io.StringIO()
        call_command("restore_records", input=str(backup), stdout=out)

        assert (figures(), row_counts()) == before
        again = tmp_path / "again.jsonl.gz"
        call_command("backup_records", output=str(again), stdout=io.StringIO())
        assert record_lines(again) == record_lines(backup)
        assert Permission.objects.filter(group__isnull=False).first().pk > 1000
        rows = sum(before[1][label] for label in archive._tables_of(backed_up_models()))
        assert out.getvalue().startswith(f"{rows} rows of ")

    def test_restore_with_replace_into_a_changed_database_gives_back_the_backup(self, db, tmp_path):
        before = figures(), row_counts(), database_contents()
        backup = tmp_path / "records.jsonl.gz"
        call_command("backup_records", output=str(backup), stdout=io.StringIO())
        # Then the records change: a draft is issued, a cadre added, another retired.
        decision_issue(decision=Decision.objects.get(number="215-QĐ/TU"))
        CadreFactory(hometown=unit_on("13393", MID_TERM), full_name="Người Mới")
        Cadre.objects.filter(pk=Cadre.objects.order_by("pk").first().pk).update(status="retired")
        assert database_contents() != before[2]

        call_command("restore_records", input=str(backup), replace=True, stdout=io.StringIO())

        assert (figures(), row_counts(), database_contents()) == before
        assert Decision.objects.get(number="215-QĐ/TU").status == DecisionStatus.DRAFT
