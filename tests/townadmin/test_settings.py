"""The production profile: strict, complete, and clean under ``check --deploy``."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-secret-for-the-test-only-" + "x" * 40,
    "ALLOWED_HOSTS": "portal.example.gov.cn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/townadmin",
}


def manage(*args, **overrides):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION_ENV
        and not key.startswith("CELERY_")
        # Set by the browser tests' conftest for Playwright; check --deploy refuses it.
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update({key: value for key, value in overrides.items() if value is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )


def test_check_deploy_reports_nothing_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    result = manage("check", **{**PRODUCTION_ENV, missing: None})

    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_ENV=production" in result.stderr


def test_production_reads_the_secret_key_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-docker-secret-" + "y" * 40 + "\n")
    environment = {**PRODUCTION_ENV, "SECRET_KEY": None, "SECRET_KEY_FILE": str(secret)}

    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", **environment
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "from-a-docker-secret-" + "y" * 40


def test_an_unknown_profile_is_refused():
    result = manage("check", DJANGO_ENV="staging")

    assert result.returncode != 0
    assert "DJANGO_ENV must be 'development' or 'production'" in result.stderr
