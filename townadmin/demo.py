"""Demo accounts for the quickstart. Later issues add the towns, lists and cases."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured

# Meets the password rules a level-3 protected system is assessed against
# (length >= 10, three character classes); documented in the README.
DEMO_PASSWORD = "TownDemo#2026"

DEMO_USERS = [
    # username, display name, superuser
    ("admin", "系统管理员", True),
]


def seed_users():
    """Create the demo accounts that are missing; return (username, display name) of all."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "Demo accounts with a published password are refused in production."
        )
    user_model = get_user_model()
    for username, display_name, superuser in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return [(username, display_name) for username, display_name, _ in DEMO_USERS]
