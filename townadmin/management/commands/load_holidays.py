"""Load the holidays and make-up workdays of the ``chinesecalendar`` package into the calendar.

Run it after upgrading the package (a new year's arrangement is published each
November or December). Safe to run again: days an administrator entered or
corrected are kept, and the migration already ran it once on a fresh database.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from townadmin.workdays import load_chinese_calendar, missing_years


class Command(BaseCommand):
    help = "Load the chinesecalendar package's holidays and make-up workdays (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            years = load_chinese_calendar()
        self.stdout.write(f"Calendar years from chinesecalendar: {years[0]}-{years[-1]}")
        missing = missing_years()
        if missing:
            self.stderr.write(
                self.style.WARNING(
                    "Still missing (enter them in the admin): "
                    + ", ".join(str(year) for year in missing)
                )
            )
