"""``python manage.py load_demo``: build the Kim Bảng records (idempotent)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from audit.context import recording
from rotation.demo.kim_bang import KimBang


class Command(BaseCommand):
    help = (
        "Build the Kim Bảng (Hà Nam) records of the 2020–2025 term: units and their 2025 "
        "successors, organisations, posts, cadres, decisions and movements. Running it "
        "again adds nothing."
    )

    def handle(self, *args, **options):
        try:
            # Every record's history says it was made by this command.
            with transaction.atomic(), recording(command="load_demo"):
                created = KimBang().run()
        except ValidationError as exc:
            raise CommandError(
                f"The Kim Bảng records could not be built: {'; '.join(exc.messages)}"
            ) from exc
        if any(created.values()):
            self.stdout.write(
                self.style.SUCCESS(
                    "Kim Bảng records loaded: {units} units, {cadres} cadres, {decisions} decisions created.".format(
                        **created
                    )
                )
            )
        else:
            self.stdout.write("Kim Bảng records already present; nothing to add.")
