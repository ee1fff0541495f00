"""Fill the database for the benchmarks when it holds no records yet."""

from __future__ import annotations

from django.core.management import call_command, get_commands
from django.db import connection

from cadres.models import Cadre


def fill(options: list[str]) -> int:
    if Cadre.objects.exists():
        print(f"The database holds {Cadre.objects.count():,} cadres: not filling it again.")
        return 0
    if "generate_synthetic" not in get_commands():
        print("generate_synthetic is not available: loading the Kim Bảng records instead.")
        call_command("load_demo")
        return 0
    print(f"Filling the database: manage.py generate_synthetic {' '.join(options)}")
    call_command("generate_synthetic", *options)
    # The planner's statistics of the new rows, before anything is timed (autovacuum may
    # not have come round yet).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return 0
