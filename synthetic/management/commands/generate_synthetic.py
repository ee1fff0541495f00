"""``python manage.py generate_synthetic``: fill a database with national-scale records.

The generation is ``synthetic.generator``, the writing ``synthetic.writers``; this command
checks the options, refuses a database that already holds records (unless ``--replace``),
runs both in one transaction and prints what it wrote and how fast.
"""

from __future__ import annotations

import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.context import recording
from communes.models import Role
from synthetic.generator import (
    COMMUNE_POSTS,
    DEPARTMENT_POSTS,
    MERGE_DAY,
    TABLES,
    UNIT_POSTS_AFTER,
    Config,
    Synthesizer,
)
from synthetic.writers import (
    COMMAND,
    RECORD_MODELS,
    blocking_records,
    empty_records,
    writer_for,
)

DEFAULTS = Config()
# Official codes: 3 digits for a district, 5 for a commune-level unit.
MAX_DISTRICTS = 999
MAX_COMMUNES = 99_999
MAX_PROVINCES = 63  # the province codes of the citizen identity numbers
FIRST_YEAR = 1990
# The generator keeps every person in memory (about 1 kB each).
MAX_CADRES = 5_000_000


class Command(BaseCommand):
    help = _(
        "Fill an empty database with synthetic national-scale records: provinces, districts "
        "and commune-level units merged on 01/07/2025, their organisations and posts, Party "
        "terms, cadres, and years of decisions, movements and assignments that keep every "
        "rule of the records, each with its history row. The same seed gives the same records."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--provinces",
            type=int,
            default=DEFAULTS.provinces,
            help=_("Provinces before 01/07/2025 (default %(default)s, at most 63)."),
        )
        parser.add_argument(
            "--provinces-after",
            type=int,
            default=None,
            help=_("Provinces from 01/07/2025 (default: 34 for 63, in proportion otherwise)."),
        )
        parser.add_argument(
            "--districts",
            type=int,
            default=DEFAULTS.districts,
            help=_("Districts in all, until 30/06/2025 (default %(default)s)."),
        )
        parser.add_argument(
            "--communes",
            type=int,
            default=DEFAULTS.communes,
            help=_("Commune-level units until 30/06/2025 (default %(default)s)."),
        )
        parser.add_argument(
            "--units-after",
            type=int,
            default=DEFAULTS.units_after,
            help=_("Commune-level units from 01/07/2025 (default %(default)s)."),
        )
        parser.add_argument(
            "--cadres",
            type=int,
            default=DEFAULTS.cadres,
            help=_("Cadres and civil servants in all (default %(default)s)."),
        )
        parser.add_argument(
            "--start-year",
            type=int,
            default=None,
            help=_("First year of the history (default: --end-year minus --years plus 1)."),
        )
        parser.add_argument(
            "--end-year",
            type=int,
            default=DEFAULTS.end_year,
            help=_(
                "Last year of the history, 2025 or later and before this year (default %(default)s)."
            ),
        )
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help=_("Years of history, ending with --end-year (default %s).")
            % (DEFAULTS.end_year - DEFAULTS.start_year + 1),
        )
        parser.add_argument(
            "--moves-per-unit",
            type=float,
            default=DEFAULTS.moves_per_unit,
            help=_(
                "Transfers between units per commune-level unit and year, besides those that "
                "fill vacancies (default %(default)s)."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULTS.seed,
            help=_(
                "Seed of the generator: the same seed gives the same records (default %(default)s)."
            ),
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=20_000,
            help=_("Rows per COPY or INSERT batch (default %(default)s)."),
        )
        parser.add_argument(
            "--issued-by",
            default="",
            help=_("Username recorded as having issued the decisions (default: none)."),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_(
                "Delete every record (units, cadres, decisions …) and their history first. "
                "For test and benchmark databases only."
            ),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=_("Do not show the progress bar.")
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help=_("Database alias (default %(default)s).")
        )

    # ------------------------------------------------------------------ options

    def config(self, options) -> Config:
        today = timezone.localdate()
        end_year = options["end_year"]
        years, start_year = options["years"], options["start_year"]
        default_years = DEFAULTS.end_year - DEFAULTS.start_year + 1
        if start_year is None:
            start_year = end_year - (years if years is not None else default_years) + 1
        elif years is not None and end_year - start_year + 1 != years:
            raise CommandError(
                _("--years %(years)s does not match --start-year %(start)s and --end-year %(end)s.")
                % {"years": years, "start": start_year, "end": end_year}
            )
        if not MERGE_DAY.year <= end_year < today.year:
            raise CommandError(
                _(
                    "--end-year must be between %(merge)s (the history includes the merge of "
                    "01/07/2025) and %(last)s (no decision is dated in the future)."
                )
                % {"merge": MERGE_DAY.year, "last": today.year - 1}
            )
        if not FIRST_YEAR <= start_year <= MERGE_DAY.year:
            raise CommandError(
                _("The history starts between %(first)s and %(merge)s, not in %(start)s.")
                % {"first": FIRST_YEAR, "merge": MERGE_DAY.year, "start": start_year}
            )
        provinces = options["provinces"]
        if not 1 <= provinces <= MAX_PROVINCES:
            raise CommandError(
                _("--provinces must be between 1 and %(max)s.") % {"max": MAX_PROVINCES}
            )
        provinces_after = options["provinces_after"]
        if provinces_after is None:
            provinces_after = max(1, round(provinces * 34 / 63))
        if not 1 <= provinces_after <= provinces:
            raise CommandError(
                _("--provinces-after must be between 1 and --provinces (%(provinces)s).")
                % {"provinces": provinces}
            )
        districts, communes = options["districts"], options["communes"]
        if not provinces <= districts <= MAX_DISTRICTS:
            raise CommandError(
                _(
                    "--districts must be between --provinces (%(provinces)s: each has one at "
                    "least) and %(max)s."
                )
                % {"provinces": provinces, "max": MAX_DISTRICTS}
            )
        if not districts <= communes <= MAX_COMMUNES:
            raise CommandError(
                _(
                    "--communes must be between --districts (%(districts)s: each has one at "
                    "least) and %(max)s."
                )
                % {"districts": districts, "max": MAX_COMMUNES}
            )
        units_after = options["units_after"]
        if not provinces_after <= units_after <= communes:
            raise CommandError(
                _(
                    "--units-after must be between --provinces-after (%(provinces)s) and "
                    "--communes (%(communes)s): communes merge, so there are no more units "
                    "after 01/07/2025 than before."
                )
                % {"provinces": provinces_after, "communes": communes}
            )
        cadres = options["cadres"]
        if not communes <= cadres <= MAX_CADRES:
            raise CommandError(
                _("--cadres must be between --communes (%(communes)s) and %(max)s.")
                % {"communes": communes, "max": f"{MAX_CADRES:,}"}
            )
        if not 0 <= options["moves_per_unit"] <= 100:
            raise CommandError(_("--moves-per-unit must be between 0 and 100."))
        if options["batch_size"] < 1:
            raise CommandError(_("--batch-size must be 1 or more."))
        return Config(
            provinces=provinces,
            provinces_after=provinces_after,
            districts=districts,
            communes=communes,
            units_after=units_after,
            cadres=cadres,
            start_year=start_year,
            end_year=end_year,
            seed=options["seed"],
            moves_per_unit=options["moves_per_unit"],
        )

    def issuer(self, username: str, database: str):
        if not username:
            return None
        user = (
            get_user_model()
            ._default_manager.db_manager(database)
            .filter(**{get_user_model().USERNAME_FIELD: username})
            .first()
        )
        if user is None:
            raise CommandError(_("There is no user %(name)s.") % {"name": username})
        return user.pk

    def check_empty(self, database: str, replace: bool) -> None:
        held = [
            str(model._meta.verbose_name_plural)
            for model in RECORD_MODELS
            if model._default_manager.db_manager(database).exists()
        ]
        if held and not replace:
            raise CommandError(
                _(
                    "The database already holds records (%(tables)s); nothing was written. "
                    "Use an empty database, or --replace to delete them first."
                )
                % {"tables": ", ".join(held)}
            )
        if replace:
            blocking = blocking_records(using=database)
            if blocking:
                raise CommandError(
                    _(
                        "--replace would also delete %(tables)s, which refer to the records; "
                        "nothing was written."
                    )
                    % {"tables": ", ".join(blocking)}
                )

    # ------------------------------------------------------------------ run

    def handle(self, *args, **options):
        config = self.config(options)
        database = options["database"]
        if database not in connections:
            raise CommandError(_("Unknown database %(name)s.") % {"name": database})
        connection = connections[database]
        issued_by = self.issuer(options["issued_by"], database)
        roles = dict(Role.objects.using(database).values_list("code", "id"))
        wanted = {role for _org, role, _seats in COMMUNE_POSTS + UNIT_POSTS_AFTER} | {
            role for role, _seats in DEPARTMENT_POSTS
        }
        if not wanted <= set(roles):
            raise CommandError(
                _("The catalogue of roles is missing; run migrate first. Nothing was written.")
            )
        show = not options["no_progress"] and options["verbosity"] > 0 and sys.stderr.isatty()
        started = time.perf_counter()
        now = timezone.now()
        reason = _("Synthetic records, seed %(seed)s") % {"seed": config.seed}
        bar = self.progress_bar(show, config)
        try:
            with transaction.atomic(using=database), recording(command=COMMAND):
                self.check_empty(database, options["replace"])
                if options["replace"]:
                    empty_records(connection)
                writer = writer_for(
                    connection, batch_size=options["batch_size"], progress=bar.update
                )
                writer.before()
                synth = Synthesizer(
                    config,
                    roles=roles,
                    first_ids=writer.first_ids(),
                    now=now,
                    sink=writer.add,
                    issued_by=issued_by,
                )
                try:
                    synth.run()
                    writer.flush_all()
                finally:
                    writer.close(abandon=True)
                generated = time.perf_counter()
                writer.after()
                # The history rows are as many as the records: the bar's end is now known.
                bar.total = bar.n + sum(writer.rows.values())
                bar.set_description(_("history"))
                writer.write_history(now=now, reason=reason)
                writer.after_history()
                writer.reset_sequences()
                committing = time.perf_counter()
            finished = time.perf_counter()
        except DatabaseError as exc:
            raise CommandError(
                _("The database refused the records; nothing was written: %(error)s")
                % {"error": str(exc).strip().splitlines()[0] if str(exc).strip() else exc}
            ) from exc
        finally:
            bar.close()
        self.report(
            writer,
            synth,
            total=finished - started,
            generation=generated - started,
            commit=finished - committing,
        )

    def progress_bar(self, show: bool, config: Config):
        from tqdm import tqdm

        # A rough guess of the rows, for the bar only: the report prints the real ones.
        years = config.end_year - config.start_year + 1
        estimate = int(
            config.communes * (4 + 14 + 17 * 1.2)
            + config.cadres
            + config.communes * years * (config.moves_per_unit * 2.2 + 2)
        )
        return tqdm(
            total=estimate,
            unit=" rows",
            unit_scale=True,
            desc=_("records"),
            file=sys.stderr,
            disable=not show,
            dynamic_ncols=True,
        )

    def report(self, writer, synth, *, total: float, generation: float, commit: float) -> None:
        if self.verbosity_zero:
            return
        write = self.stdout.write
        if self.verbosity > 1:
            for name, seconds in getattr(writer, "timings", []):
                write(f"  {name}: {seconds:.2f} s")
        records = sum(writer.rows.values())
        history = sum(writer.history_rows.values())
        write(
            _(
                "Synthetic records (seed %(seed)s): %(before)s commune-level units before "
                "01/07/2025, %(after)s after."
            )
            % {
                "seed": synth.config.seed,
                "before": synth.counts["units_before"],
                "after": synth.counts["units_after"],
            }
        )
        header = f"{_('table'):<14} {_('rows'):>10} {_('seconds'):>9} {_('rows/s'):>10}"
        write(header)
        write("-" * len(header))
        for table in TABLES:
            rows, seconds = writer.rows[table], writer.seconds[table]
            write(f"{table:<14} {rows:>10,} {seconds:>9.1f} {rate(rows, seconds):>10,}")
        hist_seconds = sum(writer.history_seconds.values())
        write(
            f"{_('history'):<14} {history:>10,} {hist_seconds:>9.1f} {rate(history, hist_seconds):>10,}"
        )
        write("-" * len(header))
        write(
            _(
                "%(records)s records and %(history)s history rows in %(seconds).1f s "
                "(generating and writing %(generation).1f s, constraints checked %(constraints).1f s, "
                "history %(hist).1f s, indexes %(indexes).1f s, checks at commit %(commit).1f s): %(rate)s records/s, "
                "%(all_rate)s rows/s in all."
            )
            % {
                "records": f"{records:,}",
                "history": f"{history:,}",
                "seconds": total,
                "generation": generation,
                "constraints": writer.constraint_seconds,
                "indexes": writer.index_seconds,
                "hist": hist_seconds,
                "commit": commit,
                "rate": f"{rate(records, total):,}",
                "all_rate": f"{rate(records + history, total):,}",
            }
        )

    def execute(self, *args, **options):
        self.verbosity = options.get("verbosity", 1)
        self.verbosity_zero = self.verbosity == 0
        return super().execute(*args, **options)


def rate(rows: int, seconds: float) -> int:
    return int(rows / seconds) if seconds > 0 else 0
