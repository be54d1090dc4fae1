"""/healthz: is the web process able to serve, and are the broker and beat alive?

The answer is 200 whenever the database answers, because a web process with a
database can serve (writes succeed and the outbox catches up when the broker
returns); broker, beat and the working-day calendar's years are reported so
monitoring can alert on them. Only an unreachable database makes it 503, with a
generic body that leaks nothing.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from townadmin.celery import app as celery_app
from townadmin.models import Heartbeat
from townadmin.tasks import BEAT
from townadmin.workdays import missing_years

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beat = _beat_status()
        calendar = _calendar_status()
    except DatabaseError:
        logger.exception("healthz: database unreachable")
        return JsonResponse({"status": "unavailable"}, status=503)
    broker = _broker_status()
    healthy = broker == "ok" and beat["status"] == "ok" and calendar["status"] == "ok"
    return JsonResponse(
        {
            "status": "ok" if healthy else "degraded",
            "database": "ok",
            "broker": broker,
            "beat": beat,
            "calendar": calendar,
        }
    )


def _calendar_status():
    # Deadlines that run into a year the holiday table lacks cannot be computed; say so
    # while there is time to enter it (next year is wanted from January 1st of this one).
    missing = missing_years()
    return {"status": "missing_year" if missing else "ok", "missing": missing}


def _beat_status():
    heartbeat = Heartbeat.objects.filter(name=BEAT).first()
    if heartbeat is None:
        return {"status": "missing", "last_run_at": None, "age_seconds": None}
    age = (timezone.now() - heartbeat.last_run_at).total_seconds()
    return {
        "status": "ok" if age <= settings.HEARTBEAT_MAX_AGE_SECONDS else "stale",
        "last_run_at": heartbeat.last_run_at.isoformat(),
        "age_seconds": round(age, 1),
    }


def _broker_status():
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
    except Exception:  # any transport error means the same thing here: not reachable
        logger.warning("healthz: broker unreachable", exc_info=True)
        return "unavailable"
    return "ok"
