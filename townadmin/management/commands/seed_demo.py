from django.core.management.base import BaseCommand
from django.db import transaction

from townadmin.demo import DEMO_PASSWORD, seed_users


class Command(BaseCommand):
    help = (
        "Load the demo data (idempotent: running it again adds nothing) and print the demo logins."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            users = seed_users()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Demo logins:"))
        for username, display_name in users:
            self.stdout.write(f"  {username:<12} {DEMO_PASSWORD}   {display_name}")
