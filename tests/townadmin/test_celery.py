"""Celery wiring, run against the real broker: Redis when CELERY_BROKER_URL is set (CI),
kombu's filesystem transport otherwise."""

import os
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from townadmin.celery import app
from townadmin.models import Heartbeat
from townadmin.tasks import BEAT, heartbeat


@pytest.fixture
def worker(transactional_db):
    """A real worker thread on a queue of its own, so a running ``make run`` worker
    (or another test run) never takes our messages."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    original = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], loglevel="WARNING"
        ):
            yield queue
    finally:
        app.conf.task_default_queue = original


def test_the_heartbeat_task_goes_through_the_broker_and_records_its_run(worker):
    heartbeat.delay()

    for _ in range(100):
        if Heartbeat.objects.filter(name=BEAT).exists():
            break
        import time

        time.sleep(0.1)
    assert Heartbeat.objects.filter(name=BEAT).exists()


def test_the_heartbeat_task_is_idempotent(db):
    heartbeat()
    heartbeat()

    assert Heartbeat.objects.filter(name=BEAT).count() == 1


def test_tasks_are_json_only_acked_late_and_redelivered_if_a_worker_dies():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0


def test_the_beat_schedule_runs_the_heartbeat_and_expires_before_the_next_run():
    entry = settings.CELERY_BEAT_SCHEDULE["heartbeat"]

    assert entry["task"] == "townadmin.tasks.heartbeat"
    assert entry["options"]["expires"] < entry["schedule"].total_seconds()


def test_each_beat_entry_interval_can_be_overridden_from_the_environment():
    script = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.CELERY_BEAT_SCHEDULE['heartbeat']['schedule'].total_seconds())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "townadmin.settings",
            "BEAT_HEARTBEAT_SECONDS": "7",
        },
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )

    assert result.stdout.strip() == str(timedelta(seconds=7).total_seconds())


def test_the_broker_is_redis_when_configured_and_the_filesystem_otherwise():
    expected = os.environ.get("CELERY_BROKER_URL", "filesystem://")

    assert app.conf.broker_url == expected
