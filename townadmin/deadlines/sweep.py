"""The e-supervision sweep (电子监察): set every clock's warning level and raise alerts.

Each app's beat job calls :func:`sweep` with its open objects::

    sweep(Application.objects.filter(status__in=OPEN), recipients=application_watchers)

Set-based, so the number of statements does not depend on how many objects there are:
per clock, one statement that moves every clock not at the level its due date gives
(``UPDATE ... SET level = CASE ... RETURNING``: the one pass over the objects a raw
UPDATE would make) and, from the rows it moved, clears their alerts above the new level
and raises their alert at it (``INSERT ... ON CONFLICT DO NOTHING``). The alert work
follows the level changes, not the number of open alerts: an hourly run that moves
nothing touches no alert.

That rests on one rule: the sweep is the only writer of warning levels. A service that
puts a level back by hand (an entrustment's renewal) clears the object's alerts in the
same transaction (:func:`clear_alerts`), so levels and open alerts never disagree.

A second run, or a run on another worker at the same time, finds nothing left to
change: the level updates skip rows already at their level (a concurrent UPDATE waits
for the first and re-checks its WHERE, then moves nothing, so it raises nothing), and
the partial unique index on open alerts drops a duplicate insert.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Case, Q, Value, When, sql
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from townadmin.models.deadlines import Alert, WarningLevel
from townadmin.notifications import notify
from townadmin.workdays import add_workdays

YELLOW, RED, NORMAL = WarningLevel.YELLOW, WarningLevel.RED, WarningLevel.NORMAL
CARDS = (YELLOW, RED)
# (open alert's level, clock's new level): the cards a clock that moved down to its new
# level (after an extension) no longer deserves.
FALLEN = ((YELLOW, NORMAL), (RED, NORMAL), (RED, YELLOW))
# For the sweep's statements only (put back afterwards). They hash the moved clocks
# against the clock's open alerts: with the default 4MB of work_mem the hash outgrows
# memory at a few hundred thousand open alerts, and PostgreSQL turns to an index probe
# per moved clock or a hash spilled to disk, several times slower (bench/sweep.py).
# JIT compiling pays off for long CPU-bound queries; these wait on writes, and at a few
# million objects their estimated cost would buy them a compile of half a second.
STATEMENT_SETTINGS = {"work_mem": "64MB", "jit": "off"}

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


def sweep(queryset_or_model, *, today=None, yellow_workdays=None, recipients=None, clocks=None):
    """Bring the warning levels of the given supervised objects up to date.

    * red: the due date is before ``today`` (overdue);
    * yellow: due between ``today`` and the day ``yellow_workdays`` working days
      after it (``settings.SUPERVISION_YELLOW_WORKDAYS``, default 1), inclusive;
    * normal: due later than that.

    ``clocks`` names the clocks to sweep (default: every clock of the model), for
    objects some of whose clocks have stopped: a called-back rectification's fix
    clock runs on after its call-back clock stopped. Paused objects keep the level
    they had (their clocks do not run). A clock that moves up to yellow or red gets
    an alert at that level; one that moves down has its alerts above its new level
    cleared. With ``recipients``, a callable that maps the list of new alerts to
    ``{alert: users}``, each new alert is handed to the outbox (in this transaction).
    Raises ``CalendarYearMissing`` when the yellow window runs into a year the
    calendar lacks: nothing is changed then.
    """
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    model = queryset.model
    swept = _clocks(model, clocks)
    today = today or timezone.localdate()
    if yellow_workdays is None:
        yellow_workdays = settings.SUPERVISION_YELLOW_WORKDAYS
    # Yellow means "due within N working days": due on or before the N-th working day
    # after today. One calendar lookup here, then the database compares plain dates.
    last_yellow_day = add_workdays(today, yellow_workdays)
    content_type = ContentType.objects.get_for_model(model)
    result = SweepResult()
    new_alert_ids = []
    with transaction.atomic(), _local_settings(STATEMENT_SETTINGS):
        for clock in swept:
            due = clock.due_field
            running = queryset.filter(paused_on__isnull=True, **{f"{due}__isnull": False})
            level = Case(
                When(**{f"{due}__lt": today}, then=Value(RED)),
                When(**{f"{due}__lte": last_yellow_day}, then=Value(YELLOW)),
                default=Value(NORMAL),
            )
            moved, cleared, raised = _move(running, clock, level, content_type)
            result.red += moved[RED]
            result.yellow += moved[YELLOW]
            result.normal += moved[NORMAL]
            result.cleared += cleared
            result.raised += len(raised)
            new_alert_ids += raised
        if recipients is not None and new_alert_ids:
            _notify(new_alert_ids, recipients)
    return result


def clear_alerts(obj):
    """Clear the open alerts of ``obj``: its app calls this when the object is finished
    (decided, closed), since the sweep no longer looks at it, and when it puts the
    object's level back by hand. Returns how many."""
    return Alert.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        cleared_at__isnull=True,
    ).update(cleared_at=timezone.now())


def _clocks(model, names):
    if names is None:
        return model.CLOCKS
    unknown = set(names) - {clock.name for clock in model.CLOCKS}
    if unknown:
        raise ValueError(f"{model.__name__} has no clock {sorted(unknown)}")
    return [clock for clock in model.CLOCKS if clock.name in names]


def _move(running, clock, level, content_type):
    """Set the clocks of ``running`` whose level is not ``level`` (an expression) to it;
    clear the moved clocks' open alerts above their new level and raise their alert at it.
    One statement: the moved rows go from the UPDATE's RETURNING straight to the alert
    statements, never through Python. Returns ({level: clocks moved to it}, alerts cleared,
    ids of the new alerts)."""
    level_field = clock.level_field
    try:
        update, params = _update_sql(running.filter(~Q(**{level_field: level})), level_field, level)
    except EmptyResultSet:  # e.g. filter(pk__in=[]): nothing to move
        return dict.fromkeys((RED, YELLOW, NORMAL), 0), 0, []
    meta, quote = running.model._meta, connection.ops.quote_name
    table, alert = quote(meta.db_table), quote(Alert._meta.db_table)
    returning = ", ".join(
        f"{table}.{quote(meta.get_field(field).column)} AS {name}"
        for field, name in (
            (meta.pk.name, "id"),
            ("town", "town_id"),
            (clock.due_field, "due"),
            (level_field, "level"),
        )
    )
    # Both alert statements probe the partial unique index of open alerts (content type,
    # object, clock, level) or hash the clock's open alerts, whichever the number of
    # moved rows makes cheaper. NOT EXISTS keeps a clock back at yellow whose yellow card
    # is still open (red, then extended) from raising a second one, without burning a
    # sequence number; ON CONFLICT settles the race with a concurrent sweep.
    statement = f"""
        WITH moved AS ({update} RETURNING {returning}),
        cleared AS (
            UPDATE {alert} AS alert SET cleared_at = %s FROM moved
            WHERE alert.content_type_id = %s AND alert.object_id = moved.id
              AND alert.clock = %s AND alert.cleared_at IS NULL
              AND (alert.level, moved.level) IN %s
            RETURNING alert.id
        ),
        raised AS (
            INSERT INTO {alert} (town_id, content_type_id, object_id, clock, level, due_date)
            SELECT moved.town_id, %s, moved.id, %s, moved.level, moved.due FROM moved
            WHERE moved.level IN %s AND NOT EXISTS (
                SELECT 1 FROM {alert} AS open_alert
                WHERE open_alert.content_type_id = %s AND open_alert.object_id = moved.id
                  AND open_alert.clock = %s AND open_alert.level = moved.level
                  AND open_alert.cleared_at IS NULL
            )
            ON CONFLICT DO NOTHING
            RETURNING id
        )
        SELECT
            count(*) FILTER (WHERE level = %s),
            count(*) FILTER (WHERE level = %s),
            count(*) FILTER (WHERE level = %s),
            (SELECT count(*) FROM cleared),
            ARRAY(SELECT id FROM raised)
        FROM moved
    """
    params += (
        *(timezone.now(), content_type.pk, clock.name, FALLEN),
        *(content_type.pk, clock.name, CARDS, content_type.pk, clock.name),
        *(RED, YELLOW, NORMAL),
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        red, yellow, normal, cleared, raised = cursor.fetchone()
    return {RED: red, YELLOW: yellow, NORMAL: normal}, cleared, raised


@contextmanager
def _local_settings(values):
    """Change the settings ``values`` for the block (``set_config(..., true)``: SET LOCAL),
    then put back what they were, since the block may be part of a longer transaction
    (after an error, rolling back the block's savepoint puts them back)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(['current_setting(%s)'] * len(values))}", [*values])
        previous = dict(zip(values, cursor.fetchone(), strict=True))
        _set_config(cursor, values)
    yield
    with connection.cursor() as cursor:
        _set_config(cursor, previous)


def _set_config(cursor, values):
    cursor.execute(
        f"SELECT {', '.join(['set_config(%s, %s, true)'] * len(values))}",
        [item for pair in values.items() for item in pair],
    )


def _update_sql(objects, field, value):
    """The SQL of ``objects.update(field=value)``, the way ``QuerySet.update`` builds it."""
    query = objects.order_by().query.chain(sql.UpdateQuery)
    query.add_update_values({field: value})
    query.clear_select_clause()
    return query.get_compiler(objects.db).as_sql()


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
