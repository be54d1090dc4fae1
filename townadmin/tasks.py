from celery import shared_task
from django.utils import timezone

from townadmin.models import Heartbeat

BEAT = "beat"


@shared_task
def heartbeat():
    """Record that beat scheduled us and a worker ran us; an upsert, so it is idempotent."""
    Heartbeat.objects.update_or_create(name=BEAT, defaults={"last_run_at": timezone.now()})
