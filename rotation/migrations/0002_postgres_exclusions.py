"""On PostgreSQL, the assignment rules of DOMAIN.md §3.4 that a constraint can say.

- a cadre never holds the same post twice at once;
- a cadre holds at most one principal post at a time;
- a seat of a post is held by one person at a time, so a post never has more holders
  than its numbered seats (the service gives each holder a seat between 1 and the
  post's number of seats).
Void assignments (opened by a cancelled decision) are kept for the record and excluded.
"""

from django.db import migrations

from communes.postgres import exclusion_operation

PERIOD = "daterange(start_date, end_date, '[]') WITH &&"


class Migration(migrations.Migration):
    dependencies = [("rotation", "0001_initial")]

    operations = [
        exclusion_operation(
            "rotation_assignment",
            "assignment_cadre_post_no_overlap",
            f"cadre_id WITH =, post_id WITH =, {PERIOD}",
            "NOT is_void",
        ),
        exclusion_operation(
            "rotation_assignment",
            "assignment_one_principal_at_a_time",
            f"cadre_id WITH =, {PERIOD}",
            "principal AND NOT is_void",
        ),
        exclusion_operation(
            "rotation_assignment",
            "assignment_seat_one_holder_at_a_time",
            f"post_id WITH =, seat WITH =, {PERIOD}",
            "NOT is_void",
        ),
    ]
