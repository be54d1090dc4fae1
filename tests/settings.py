"""Settings for pytest: the project's own plus a test-only app with concrete supervised models."""

from townadmin.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.supervision_testapp"]  # noqa: F405

# Hashing strength is not under test here, and PBKDF2 makes every seeded demo user cost
# ~0.3 s; the password validators and lockout still run as in production.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Every test client posts from 127.0.0.1 and the throttle counts in the process's cache
# across tests: the anonymous-write limit would trip on the suite, not on a person.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],  # noqa: F405
        "public_submit": "100000/minute",
    },
}

# A query-count test counts what a request costs a process that has not seen the user
# yet; tests/townadmin/test_access_versions.py turns the kept answers on.
ACCESS_ANSWERS_KEPT = 0
