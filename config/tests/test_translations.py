"""The Vietnamese catalogue: complete, compiled, in step with the code, and in use."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

from communes.models import RoleCategory, UnitKind
from rotation.models import DecisionStatus, Direction, MovementKind

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ROOT / "locale" / "vi" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"

# A printf-style placeholder as Python's % operator reads it: %(name)s, %s, %d, %%…
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z%]")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def catalogue(entries) -> dict[tuple, object]:
    """(context, msgid, plural msgid) → translation, without the header."""
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural): (
            tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
        )
        for entry in entries
        if entry.msgid
    }


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO))


# --------------------------------------------------------------------------- the .po file


def test_header_declares_vietnamese_in_utf8_with_one_plural_form(po):
    assert po.metadata["Language"] == "vi"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert not po.metadata_is_fuzzy


def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(po):
    assert len(po) > 400
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []
    for entry in po:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0], entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


def test_translations_keep_the_placeholders_of_their_message(po):
    wrong = []
    for entry in po:
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if placeholders(text) != placeholders(entry.msgid):
                wrong.append((entry.msgid, text))
    assert wrong == []


def test_placeholder_pattern_reads_named_and_positional_placeholders():
    assert placeholders("%(line)s, %s and %d: 5%% (%(name)s)") == [
        "%%",
        "%(line)s",
        "%(name)s",
        "%d",
        "%s",
    ]


# --------------------------------------------------------------------------- the .mo file


def test_compiled_catalogue_is_up_to_date_with_the_po_file(po):
    mo = polib.mofile(str(MO))

    assert catalogue(mo) == catalogue(po.translated_entries()), (
        "locale/vi/LC_MESSAGES/django.mo is out of date: run `make messages`"
    )


# ------------------------------------------------------------------ the catalogue and the code


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogue_has_exactly_the_messages_of_the_code(tmp_path, po):
    """``makemessages`` on a copy of the project neither adds nor drops a message."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "staticfiles",
            "db.sqlite3*",
            "__pycache__",
            ".pytest_cache",
            ".ruff_cache",
            "test-artifacts",
        ),
    )
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--ignore=.venv",
            "--ignore=staticfiles",
            "--no-obsolete",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    extracted = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    in_code = {(e.msgctxt, e.msgid, e.msgid_plural) for e in extracted}
    in_catalogue = {(e.msgctxt, e.msgid, e.msgid_plural) for e in po}
    assert sorted(in_code - in_catalogue, key=str) == [], "new messages: run `make messages`"
    assert sorted(in_catalogue - in_code, key=str) == [], "gone messages: run `make messages`"


# --------------------------------------------------------------------------- in use


def test_labels_read_in_vietnamese():
    with translation.override("vi"):
        assert str(MovementKind.ROTATION.label) == "luân chuyển"
        assert str(MovementKind.TRANSFER.label) == "điều động"
        assert str(MovementKind.SECONDMENT.label) == "biệt phái"
        assert str(MovementKind.RETURN.label) == "trở về sau luân chuyển"
        assert str(MovementKind.ELECTION_NOMINATION.label) == "giới thiệu để bầu"
        assert str(MovementKind.APPOINTMENT.label) == "bổ nhiệm"
        assert str(MovementKind.DESIGNATION.label) == "chỉ định"
        assert str(Direction.DISTRICT_TO_COMMUNE.label) == "từ huyện về xã"
        assert str(Direction.COMMUNE_TO_COMMUNE.label) == "giữa các xã"
        assert str(RoleCategory.CIVIL_SERVANT.label) == "công chức"
        assert str(UnitKind.TOWNSHIP.label) == "thị trấn"
        assert str(DecisionStatus.ISSUED.label) == "đã ban hành"


def test_labels_stay_english_in_english():
    with translation.override("en"):
        assert str(MovementKind.ROTATION.label) == "rotation"
        assert str(Direction.DISTRICT_TO_COMMUNE.label) == "district to commune"


def test_messages_with_placeholders_are_filled_in_vietnamese():
    from django.utils.translation import gettext

    with translation.override("vi"):
        text = gettext("Line %(line)s (%(cadre)s): ") % {"line": 2, "cadre": "Đinh Hồng Kiên"}
    assert text == "Dòng 2 (Đinh Hồng Kiên): "


def test_admin_speaks_vietnamese_by_default_and_english_on_request(admin_client):
    vietnamese = admin_client.get("/admin/").content.decode()
    assert "Hồ sơ luân chuyển cán bộ" in vietnamese  # admin.site.site_header
    assert "Luân chuyển: quyết định và biến động cán bộ" in vietnamese  # rotation app
    assert "Cadre rotation records" not in vietnamese

    english = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Cadre rotation records" in english
    assert "Rotation: decisions and movements" in english
