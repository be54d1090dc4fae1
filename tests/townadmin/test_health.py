import json
import os
import subprocess
import sys
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from townadmin.models import Heartbeat
from townadmin.models.calendar import CalendarYear
from townadmin.tasks import BEAT

pytestmark = pytest.mark.django_db


def test_healthz_is_200_with_database_broker_and_beat_when_all_are_alive(client):
    Heartbeat.objects.create(name=BEAT, last_run_at=timezone.now() - timedelta(seconds=5))
    # The working-day calendar covers this year and next (healthz warns otherwise).
    for year in (timezone.localdate().year, timezone.localdate().year + 1):
        CalendarYear.objects.get_or_create(year=year)

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["beat"]["status"] == "ok"
    assert 4 <= body["beat"]["age_seconds"] <= 60


def test_healthz_reports_a_stale_beat_as_degraded_but_still_serves(client):
    too_old = timedelta(seconds=settings.HEARTBEAT_MAX_AGE_SECONDS + 1)
    Heartbeat.objects.create(name=BEAT, last_run_at=timezone.now() - too_old)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["beat"]["status"] == "stale"


def test_healthz_reports_beat_missing_before_the_first_heartbeat(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["beat"] == {
        "status": "missing",
        "last_run_at": None,
        "age_seconds": None,
    }


def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def healthz_in_a_fresh_process(**environment):
    """GET /healthz in a new process, so a broken DATABASE_URL or broker is really broken."""
    script = (
        "import django, json; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.content.decode()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "townadmin.settings",
            "LOG_LEVEL": "CRITICAL",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=settings.BASE_DIR,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    return answer["status"], json.loads(answer["body"])


def test_healthz_is_503_with_a_generic_body_when_the_database_is_unreachable():
    status, body = healthz_in_a_fresh_process(
        DATABASE_URL="postgres://postgres@127.0.0.1:9/unreachable"
    )

    assert status == 503
    assert body == {"status": "unavailable"}


def test_healthz_reports_an_unreachable_broker_and_still_serves():
    # The test database (it has the tables); nothing listens on the discard port.
    database = connection.settings_dict
    if database["HOST"].startswith("/"):  # the embedded server's socket directory
        where = f":{database['PORT']}/{quote(database['HOST'], safe='')}"
    else:
        where = f"{database['HOST']}:{database['PORT']}"
    status, body = healthz_in_a_fresh_process(
        DATABASE_URL=f"postgres://{database['USER']}@{where}/{database['NAME']}",
        CELERY_BROKER_URL="redis://127.0.0.1:9/0",
    )

    assert status == 200
    assert body["broker"] == "unavailable"
    assert body["status"] == "degraded"
