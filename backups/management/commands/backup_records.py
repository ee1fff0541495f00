"""``python manage.py backup_records --output FILE``: the whole database in one gzip file.

    python manage.py backup_records --output backups/records-2026-01-05.jsonl.gz

Every record of every app (users, groups, tokens and histories included; content types,
permissions and sessions left out), read from one consistent snapshot while the
application keeps running. The file appears only once complete. See ``backups.archive``
for its layout and ``restore_records`` for the way back.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from backups.archive import BackupError, back_up


class Command(BaseCommand):
    # Like dumpdata and loaddata: a backup or a restore is not held up by a system check.
    requires_system_checks: list[str] = []
    help = (
        "Back up the whole database into one gzip file (JSON Lines with a manifest), "
        "written to a temporary file and renamed once complete."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, help="The file to write, e.g. records.jsonl.gz."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up.")

    def handle(self, *args, output: str, database: str, **options):
        try:
            summary = back_up(output, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = summary.path.stat().st_size
        self.stdout.write(
            _("%(rows)s rows of %(tables)s tables backed up to %(file)s (%(size)s bytes).")
            % {"rows": summary.total, "tables": summary.tables, "file": summary.path, "size": size}
        )
