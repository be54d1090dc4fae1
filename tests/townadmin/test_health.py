import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from townadmin.models import Heartbeat
from townadmin.tasks import BEAT

pytestmark = pytest.mark.django_db


def test_healthz_is_200_with_database_broker_and_beat_when_all_are_alive(client):
    Heartbeat.objects.create(name=BEAT, last_run_at=timezone.now() - timedelta(seconds=5))

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


def test_healthz_is_503_with_a_generic_body_when_the_database_is_unreachable():
    # A real unreachable server: a fresh process whose DATABASE_URL points at a closed port.
    script = (
        "import django, json; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.content.decode()}))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "townadmin.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/unreachable",
        "LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=settings.BASE_DIR,
    )

    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert json.loads(answer["body"]) == {"status": "unavailable"}


@pytest.fixture
def unreachable_broker(monkeypatch):
    from townadmin.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its own config.
    nowhere = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    monkeypatch.setenv("CELERY_BROKER_URL", nowhere)
    monkeypatch.setattr(app.conf, "broker_url", nowhere)


def test_healthz_reports_an_unreachable_broker_and_still_serves(client, unreachable_broker):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "unavailable"
    assert response.json()["status"] == "degraded"
