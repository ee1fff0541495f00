"""On PostgreSQL, a holder's seat number is never above the post's number of seats.

With ``assignment_seat_one_holder_at_a_time`` (one holder per seat at a time) this says,
for writes that bypass the services too, that a post never has more holders on a day
than it has seats. A CHECK cannot look at another table, so two constraint triggers say
it: one when an assignment is written, one when a post's seats are lowered.

Both are deferred to the end of the transaction: ``rotation.seating.renumber`` parks a
holder on a spare number above the real seats for a moment while it reseats a post, and
``communes.services.post_set_seats`` lowers the seats before reseating the holders. What
is checked is the state at commit. Void assignments are kept for the record and ignored.
The error is a ``check_violation`` naming ``assignment_seat_within_post_seats``, which
Django raises as ``IntegrityError``.
"""

from django.db import migrations

NAME = "assignment_seat_within_post_seats"

FORWARDS = f"""
CREATE OR REPLACE FUNCTION rotation_assignment_seat_within_post_seats() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    found_seat integer;
    post_seats integer;
BEGIN
    -- Deferred: read the row as it is now, not as it was when the trigger was queued.
    SELECT a.seat, p.seats INTO found_seat, post_seats
    FROM rotation_assignment a JOIN communes_post p ON p.id = a.post_id
    WHERE a.id = NEW.id AND NOT a.is_void AND a.seat > p.seats;
    IF FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'check_violation',
            CONSTRAINT = '{NAME}',
            MESSAGE = format(
                '{NAME}: assignment %s holds seat %s of a post with %s seat(s)',
                NEW.id, found_seat, post_seats);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION communes_post_seats_cover_holders() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    found_id bigint;
    found_seat integer;
    post_seats integer;
BEGIN
    SELECT a.id, a.seat, p.seats INTO found_id, found_seat, post_seats
    FROM rotation_assignment a JOIN communes_post p ON p.id = a.post_id
    WHERE p.id = NEW.id AND NOT a.is_void AND a.seat > p.seats
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'check_violation',
            CONSTRAINT = '{NAME}',
            MESSAGE = format(
                '{NAME}: post %s has %s seat(s) but assignment %s holds seat %s',
                NEW.id, post_seats, found_id, found_seat);
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER {NAME}
    AFTER INSERT OR UPDATE OF seat, post_id, is_void ON rotation_assignment
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION rotation_assignment_seat_within_post_seats();

CREATE CONSTRAINT TRIGGER post_seats_cover_holders
    AFTER UPDATE OF seats ON communes_post
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION communes_post_seats_cover_holders();
"""

BACKWARDS = f"""
DROP TRIGGER IF EXISTS post_seats_cover_holders ON communes_post;
DROP TRIGGER IF EXISTS {NAME} ON rotation_assignment;
DROP FUNCTION IF EXISTS communes_post_seats_cover_holders();
DROP FUNCTION IF EXISTS rotation_assignment_seat_within_post_seats();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS, params=None)


class Migration(migrations.Migration):
    dependencies = [("rotation", "0002_postgres_exclusions")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
