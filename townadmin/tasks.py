from celery import shared_task
from django.utils import timezone

from townadmin.models import Heartbeat
from townadmin.notifications.relay import relay_pending
from townadmin.services import postings_expire

BEAT = "beat"


@shared_task
def heartbeat():
    """Record that beat scheduled us and a worker ran us; an upsert, so it is idempotent."""
    Heartbeat.objects.update_or_create(name=BEAT, defaults={"last_run_at": timezone.now()})


@shared_task
def relay_outbox():
    """Deliver pending notifications (DESIGN.md section 6). Woken after each commit that
    notifies, and run by beat every minute in case a wake-up was lost with the broker."""
    return relay_pending()


@shared_task
def expire_postings():
    """Withdraw the reach of postings whose fixed term is over (beat runs it hourly; idempotent)."""
    return postings_expire()
