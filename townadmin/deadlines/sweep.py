"""The e-supervision sweep (电子监察): set every clock's warning level and raise alerts.

Each app's beat job calls :func:`sweep` with its open objects::

    sweep(Application.objects.filter(status__in=OPEN), recipients=application_watchers)

Set-based, so its cost does not depend on how many objects there are: per clock,
one ``UPDATE ... WHERE`` per level (red, yellow, normal), one ``UPDATE`` that
clears alerts whose clock fell back (after an extension) and one
``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` that raises the missing alerts.
A second run, or a run on another worker at the same time, finds nothing left
to change: the level updates skip rows already at their level (a concurrent
UPDATE waits for the first and re-checks its WHERE), and the partial unique
index on open alerts drops a duplicate insert.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from townadmin.models.deadlines import Alert, WarningLevel
from townadmin.notifications import notify
from townadmin.workdays import add_workdays

YELLOW, RED, NORMAL = WarningLevel.YELLOW, WarningLevel.RED, WarningLevel.NORMAL

SUBJECTS = {
    YELLOW: _("Yellow card: %(object)s is due on %(date)s"),
    RED: _("Red card: %(object)s was due on %(date)s"),
}
BODY = _("%(town)s: %(object)s, %(deadline)s: %(date)s.")


@dataclass
class SweepResult:
    """How many clocks moved to each level, and how many alerts were raised and cleared."""

    red: int = 0
    yellow: int = 0
    normal: int = 0
    raised: int = 0
    cleared: int = 0


def sweep(queryset_or_model, *, today=None, yellow_workdays=None, recipients=None):
    """Bring the warning levels of the given supervised objects up to date.

    * red: the due date is before ``today`` (overdue);
    * yellow: due between ``today`` and the day ``yellow_workdays`` working days
      after it (``settings.SUPERVISION_YELLOW_WORKDAYS``, default 1), inclusive;
    * normal: due later than that.

    Paused objects keep the level they had (their clocks do not run). Alerts are
    raised for yellow and red clocks; with ``recipients``, a callable that maps the
    list of new alerts to ``{alert: users}``, each new alert is handed to the outbox
    (in this transaction). Raises ``CalendarYearMissing`` when the yellow window
    runs into a year the calendar lacks: nothing is changed then.
    """
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    model = queryset.model
    today = today or timezone.localdate()
    if yellow_workdays is None:
        yellow_workdays = settings.SUPERVISION_YELLOW_WORKDAYS
    # Yellow means "due within N working days": due on or before the N-th working day
    # after today. One calendar lookup here, then the database compares plain dates.
    last_yellow_day = add_workdays(today, yellow_workdays)
    content_type = ContentType.objects.get_for_model(model)
    result = SweepResult()
    new_alert_ids = []
    with transaction.atomic():
        for clock in model.CLOCKS:
            due, level = clock.due_field, clock.level_field
            running = queryset.filter(paused_on__isnull=True, **{f"{due}__isnull": False})
            result.red += _set_level(running.filter(**{f"{due}__lt": today}), level, RED)
            result.yellow += _set_level(
                running.filter(**{f"{due}__gte": today, f"{due}__lte": last_yellow_day}),
                level,
                YELLOW,
            )
            result.normal += _set_level(
                running.filter(**{f"{due}__gt": last_yellow_day}), level, NORMAL
            )
            result.cleared += _clear_fallen_alerts(queryset, content_type, clock)
            ids = _raise_alerts(queryset, content_type, clock)
            result.raised += len(ids)
            new_alert_ids += ids
        if recipients is not None and new_alert_ids:
            _notify(new_alert_ids, recipients)
    return result


def clear_alerts(obj):
    """Clear the open alerts of ``obj``: its app calls this when the object is finished
    (decided, closed), since the sweep no longer looks at it. Returns how many."""
    return Alert.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        cleared_at__isnull=True,
    ).update(cleared_at=timezone.now())


def _set_level(queryset, level_field, level):
    return queryset.exclude(**{level_field: level}).update(**{level_field: level})


def _clear_fallen_alerts(queryset, content_type, clock):
    level = clock.level_field

    # A correlated EXISTS on the object's primary key: one index probe per open alert.
    # ``object_id IN (subquery)`` under the OR cannot become a join, and once the
    # subquery outgrows work_mem PostgreSQL rescans it for every alert (quadratic past a
    # few hundred thousand open objects; bench/sweep.py).
    def object_at(*levels):
        return Exists(queryset.filter(pk=OuterRef("object_id"), **{f"{level}__in": levels}))

    return (
        Alert.objects.filter(content_type=content_type, clock=clock.name, cleared_at__isnull=True)
        .filter(Q(level=YELLOW) & object_at(NORMAL) | Q(level=RED) & object_at(NORMAL, YELLOW))
        .update(cleared_at=timezone.now())
    )


def _raise_alerts(queryset, content_type, clock):
    """Insert an alert for every yellow or red clock without an open one; returns the new ids."""
    carded = (
        queryset.filter(
            **{f"{clock.level_field}__in": [YELLOW, RED], f"{clock.due_field}__isnull": False}
        )
        .order_by()
        .values_list("pk", "town_id", clock.due_field, clock.level_field)
    )
    select, params = carded.query.sql_with_params()
    alert = connection.ops.quote_name(Alert._meta.db_table)
    # NOT EXISTS keeps the common case (alert already open) from burning sequence
    # numbers; ON CONFLICT settles the race with a concurrent sweep.
    sql = f"""
        INSERT INTO {alert} (town_id, content_type_id, object_id, clock, level, due_date)
        SELECT carded.town_id, %s, carded.id, %s, carded.level, carded.due
        FROM ({select}) AS carded (id, town_id, due, level)
        WHERE NOT EXISTS (
            SELECT 1 FROM {alert} open_alert
            WHERE open_alert.content_type_id = %s AND open_alert.object_id = carded.id
              AND open_alert.clock = %s AND open_alert.level = carded.level
              AND open_alert.cleared_at IS NULL
        )
        ON CONFLICT DO NOTHING
        RETURNING id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [content_type.pk, clock.name, *params, content_type.pk, clock.name])
        return [row[0] for row in cursor.fetchall()]


def _notify(alert_ids, recipients):
    alerts = list(
        Alert.objects.filter(pk__in=alert_ids)
        .select_related("town", "content_type")
        .prefetch_related("obj")
        .order_by("pk")
    )
    for alert, users in recipients(alerts).items():
        if not users:
            continue
        link = getattr(alert.obj, "get_absolute_url", lambda: "")()
        model = alert.content_type.model_class()
        clock = next(clock for clock in model.CLOCKS if clock.name == alert.clock)
        # Rendered in the portal's language: the sweep may run inside anyone's request.
        with translation.override(settings.LANGUAGE_CODE):
            values = {
                "object": str(alert.obj),
                "date": alert.due_date.isoformat(),
                "town": str(alert.town),
                "deadline": str(model._meta.get_field(clock.due_field).verbose_name),
            }
            subject, body = SUBJECTS[alert.level] % values, BODY % values
        notify(
            recipients=users,
            subject=subject,
            body=body,
            town=alert.town,
            link=link,
            dedupe_key=f"alert:{alert.pk}",
        )
