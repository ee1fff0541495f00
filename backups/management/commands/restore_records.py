"""``python manage.py restore_records --input FILE [--replace]``: a backup back into the database.

    python manage.py migrate                                   # a new database, same migrations
    python manage.py restore_records --input records.jsonl.gz
    python manage.py restore_records --input records.jsonl.gz --replace   # over existing records

The file is checked whole first (format version, migration state, checksum), then loaded
in one transaction: a damaged or changed file, another version or migration state, or a
database that holds records the backup does not (without ``--replace``) is refused with
one line and exit status 1, and nothing is written. ``--replace`` empties every table
backed up first, in the same transaction. Sessions are always emptied: everyone logs in
again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from backups.archive import BackupError, restore


class Command(BaseCommand):
    # Like dumpdata and loaddata: a backup or a restore is not held up by a system check.
    requires_system_checks: list[str] = []
    help = (
        "Restore a backup made by backup_records into this database, in one transaction; "
        "--replace empties the tables first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="The backup file to restore.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty every table backed up before loading (the records now stored are lost).",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database to restore into."
        )

    def handle(self, *args, replace: bool, database: str, **options):
        try:
            summary = restore(options["input"], replace=replace, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("%(rows)s rows of %(tables)s tables restored from %(file)s.")
            % {"rows": summary.total, "tables": summary.tables, "file": summary.path}
        )
