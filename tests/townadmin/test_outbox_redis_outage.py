"""Exactly once with Redis down (DESIGN.md section 6, issue #3 item 8).

The test runs a Redis server of its own on a free port, without persistence, so
stopping it loses every message it held, as a crashed broker would. While it is
down, writes that notify must still commit; once it is back, a real worker must
deliver every notification exactly once.

On a machine without redis-server these tests skip with a message saying what
to install; in CI (CI=true) that skip is a failure.
"""

import logging
import os
import shutil
import socket
import subprocess
import time
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import transaction

from townadmin.celery import app
from townadmin.models import User
from townadmin.models.outbox import InboxMessage, OutboxMessage
from townadmin.notifications import enqueue, notify
from townadmin.notifications.enqueue import wake_relay
from townadmin.notifications.relay import relay_pending

REDIS_SERVER = shutil.which("redis-server")
MISSING_REDIS = "The Redis outage tests need redis-server: apt-get install -y redis-server."
WAIT_SECONDS = 30


class RedisServer:
    """A redis-server subprocess on its own port, with nothing saved to disk."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        wait_until(lambda: _answers(client), "redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=WAIT_SECONDS)
            self.process = None


def _answers(client):
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


def wait_until(condition, message):
    """Poll for an outcome of another process or thread (not a timing assertion)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(message)
        time.sleep(0.1)


@pytest.fixture
def redis_server():
    if REDIS_SERVER is None:
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING_REDIS, pytrace=False)
        pytest.skip(MISSING_REDIS)
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def queue(redis_server, monkeypatch):
    """Point the Celery app at our Redis, on a queue of its own; put everything back after.

    Celery prefers the CELERY_BROKER_URL environment variable to its configuration,
    so both are set. The app caches its connection and producer pools for the broker
    it first used; they are set aside here, so nothing of ours leaks into other tests
    and nothing of theirs (another broker) is used by ours.
    """
    name = f"test-outage-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    monkeypatch.setitem(app.conf, "broker_url", redis_server.url)
    monkeypatch.setitem(app.conf, "task_default_queue", name)
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    assert app.connection_for_write().as_uri().endswith(f":{redis_server.port}/0")
    yield name
    for pool in (app.amqp._producer_pool, app._pool):
        if pool is not None:
            pool.force_close_all()


@pytest.fixture
def clerk(transactional_db):
    return User.objects.create_user("clerk")


def change_and_notify(user, number):
    """A service-style write: a change and its notification in one transaction."""
    with transaction.atomic():
        user.display_name = f"Clerk {number}"
        user.save(update_fields=["display_name"])
        notify(recipients=[user], subject=f"Change {number}", body="")


def test_writes_commit_while_redis_is_down_and_leave_pending_notifications(
    redis_server, queue, clerk, caplog
):
    redis_server.stop()

    with caplog.at_level(logging.WARNING, logger=enqueue.__name__):
        for number in range(3):
            change_and_notify(clerk, number)

    clerk.refresh_from_db()
    assert clerk.display_name == "Clerk 2"
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count() == 3
    assert "Could not wake the outbox relay" in caplog.text


def test_a_lost_wake_up_is_logged_not_raised(redis_server, queue, caplog):
    redis_server.stop()

    with caplog.at_level(logging.WARNING, logger=enqueue.__name__):
        wake_relay()

    assert "beat entry will deliver the pending messages" in caplog.text


def test_every_notification_made_during_the_outage_is_delivered_exactly_once(
    redis_server, queue, clerk
):
    redis_server.stop()
    for number in range(5):
        change_and_notify(clerk, number)
    redis_server.start()  # empty: the wake-ups sent while it was down are gone

    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue]):
        # What beat sends every minute, and what finds the rows no wake-up announced.
        app.send_task(settings.CELERY_BEAT_SCHEDULE["relay-outbox"]["task"])
        wait_until(
            lambda: not OutboxMessage.objects.filter(status="pending").exists(),
            "the relay did not deliver the notifications made during the outage",
        )
        # With Redis back, a write wakes the relay by itself.
        change_and_notify(clerk, "after")
        wait_until(
            lambda: InboxMessage.objects.filter(subject="Change after").exists(),
            "the wake-up after commit did not reach the worker",
        )

    assert sorted(InboxMessage.objects.values_list("subject", flat=True)) == sorted(
        [f"Change {number}" for number in range(5)] + ["Change after"]
    )
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert relay_pending() == 0
    assert InboxMessage.objects.count() == 6
