"""Settings for pytest: the project's own plus a test-only app with concrete supervised models."""

from townadmin.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.supervision_testapp"]  # noqa: F405

# Hashing strength is not under test here, and PBKDF2 makes every seeded demo user cost
# ~0.3 s; the password validators and lockout still run as in production.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
