import unicodedata

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from powers.demo import seed_powers
from servicecenter.demo import seed_service_hall
from townadmin import demo
from townadmin.choices import Role
from townadmin.demo_org import seed_org
from townadmin.models import Posting, User
from townadmin.roles import sync_roles


def display_width(text):
    # Chinese characters take two columns in a terminal; ljust would misalign them.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text, width):
    return text + " " * max(0, width - display_width(text))


def role_label(code):
    return str(Role(code).label) if code in Role.values else code


def login_rows(usernames, password):
    """One row per demo user: what they are posted as and where, read back from the database."""
    users = User.objects.filter(username__in=usernames).prefetch_related(
        Prefetch("postings", queryset=Posting.objects.select_related("town", "department__county")),
        "groups",
    )
    by_name = {user.username: user for user in users}
    rows = []
    for username in usernames:
        user = by_name[username]
        postings = list(user.postings.all())
        roles = [role_label(posting.role) for posting in postings] or [
            role_label(group.name) for group in user.groups.all()
        ]
        places = [
            str(posting.town)
            if posting.town_id
            else _("%(county)s (county-wide)") % {"county": posting.department.county}
            for posting in postings
        ]
        rows.append(
            (
                username,
                password,
                user.display_name,
                "、".join(dict.fromkeys(roles)) or "—",
                "、".join(dict.fromkeys(places)) or "—",
            )
        )
    return rows


class Command(BaseCommand):
    help = (
        "Load the demo data (idempotent: running it again adds nothing) and print the demo logins."
    )

    def handle(self, *args, **options):
        # One transaction: a failure half-way leaves no towns without their users.
        with transaction.atomic():
            seed_org()
            sync_roles()
            usernames = [row[0] for row in demo.seed_users()]
            seed_powers()
            seed_service_hall()
        rows = login_rows(usernames, demo.DEMO_PASSWORD)
        header = (_("Username"), _("Password"), _("Name"), _("Role"), _("Town"))
        widths = [max(display_width(str(row[i])) for row in [header, *rows]) for i in range(5)]
        self.stdout.write(self.style.SUCCESS(_("Demo data is loaded. Demo logins:")))
        for row in [header, *rows]:
            cells = [pad(str(cell), width) for cell, width in zip(row, widths, strict=True)]
            self.stdout.write("  " + "  ".join(cells).rstrip())
