"""Demo data of the service hall, so every hall page has something to show.

``seed_service_hall()`` runs in ``seed_demo`` after ``seed_powers``. For each pilot town:

1. Its service items, derived from its published list by ``service_items_derive`` (as
   the town leader would), then their guides from ``guides`` (``items``), handled by
   the town's own staff (``people``).
2. 150 applications in every state (``plan.MIX``), each planned (``plan``) and then
   played through the real services (``applications``): intake at the window, online, by
   the village agent or at the kiosk, the one-time notice and resubmission, acceptance
   (with 容缺), refusal, special steps that pause the clocks, extensions, decisions and
   delivery; then ratings, rectifications of bad ones and complaints (``ratings``). So
   notices, the pause ledger and the timelines are the ones real work makes.
3. The services stamp everything "now", and a demo needs a past: each application's story
   is planned on past working days, and after the services ran its stamps move there,
   one bulk UPDATE per table (``backdate``: receipt and notice numbers carry the day of
   receipt; due dates are recomputed from the planned acceptance with the working-day
   calendar). The audit trail is append-only and hash-chained in the database, so its
   records keep the time the seed ran: a timeline lists the steps in order, dated the day
   of the seed.
4. One e-supervision sweep of applications and rectifications cards what is due or late.

Idempotent: a town that has service items keeps them (guides are written only for items
without materials) and a town that has demo applications (idempotency keys
``demo-<town>-<n>``) gets none, so a second run writes nothing. The same day gives the
same data (seeded random numbers). Refused in production.
"""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from servicecenter.demo.applications import play
from servicecenter.demo.backdate import backdate
from servicecenter.demo.common import KEY_PREFIX, forget_calendar
from servicecenter.demo.items import published_items
from servicecenter.demo.people import cast_of
from servicecenter.demo.plan import plan_stories, plan_town, step_times
from servicecenter.demo.ratings import complain, rate_stories
from servicecenter.models import Application, ServiceItem
from servicecenter.supervision import applications_sweep, rectifications_sweep
from townadmin.models import Town
from townadmin.workdays import CalendarYearMissing

__all__ = ["seed_service_hall"]

logger = logging.getLogger(__name__)

PILOT_TOWNS = ("371122104", "130926104")  # 夏庄镇, 尚村镇


def seed_service_hall():
    """Seed the pilot towns' service items and applications; a no-op when they are there.

    Needs ``seed_org``, ``seed_users`` and ``seed_powers``. Returns {town code: number of
    applications created}.
    """
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo applications are refused in production.")
    created = {}
    towns = Town.objects.select_related("county").filter(code__in=PILOT_TOWNS).order_by("code")
    forget_calendar()
    try:
        with transaction.atomic():
            for town in towns:
                seeded = Application.objects.filter(
                    town=town, idempotency_key__startswith=KEY_PREFIX
                ).exists()
                if seeded and ServiceItem.objects.filter(town=town).exists():
                    continue  # done before: the staff it needs may have moved on since
                cast = cast_of(town)
                items = published_items(town, cast)
                if items and not seeded:
                    created[town.code] = _applications(town, items, cast)
            if created:
                _sweep()
    finally:
        forget_calendar()
    return created


def _applications(town, items, cast):
    plan = plan_town(town, items, cast)
    stories = plan_stories(plan)
    for story in stories:
        story.at = step_times(story.steps, plan.rng)
        story.application = play(plan, story)
    rated = rate_stories(plan, stories)
    complaints = complain(plan, rated)
    backdate(stories, rated, complaints)
    return len(stories)


def _sweep():
    try:
        applications_sweep()
        rectifications_sweep()
    except CalendarYearMissing as error:
        # The cards wait for the beat job, which will say the same until the year is loaded.
        logger.warning("Demo applications not carded: %s", error.messages[0])
