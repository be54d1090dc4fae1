"""What every bench script shares: a database of its own, timing, ratio lines, plans.

A script calls ``setup(name)`` before it imports any model: that drops and recreates
the database ``name`` on the server of ``DATABASE_URL`` (or the embedded one), points
Django at it, turns DEBUG off (with DEBUG on, Django keeps every query in memory, which
production does not) and migrates. ``teardown()`` drops it again unless asked to keep it.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_state = {}


def setup(name, *, settings_module="townadmin.settings"):
    """Create database ``name`` afresh, point Django at it and migrate; return its settings."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    os.environ["DEBUG"] = "false"
    import django
    from django.conf import settings

    # Reading DATABASES loads the settings but opens no connection yet, so the name can
    # still change before Django connects.
    database = settings.DATABASES["default"]
    if settings.PRODUCTION:
        raise SystemExit("Benchmarks drop and recreate a database: refused in production.")
    _server_execute(database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _server_execute(database, f'CREATE DATABASE "{name}"')
    database["NAME"] = name
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    _state.update(database=database, name=name)
    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    note(f"database {name} created and migrated in {time.perf_counter() - started:.1f} s")
    return database


def teardown(*, keep=False):
    """Close Django's connections and drop the bench database (kept if ``keep``)."""
    from django.db import connections

    connections.close_all()
    if keep:
        note(f"database {_state['name']} kept")
        return
    _server_execute(_state["database"], f'DROP DATABASE IF EXISTS "{_state["name"]}" WITH (FORCE)')


def _server_execute(database, statement):
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres",
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def sql(statement, params=None):
    """Execute SQL on the bench database; return the rows if the statement yields any."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


class bulk_load:  # noqa: N801 (used as a context manager, like a function)
    """Load ``table`` without its secondary indexes and constraints, then rebuild them.

    Building an index once over the loaded rows is many times faster than maintaining
    it row by row (above all the GIN indexes), and a foreign key added afterwards is
    checked with one join instead of a lookup per row. The table ends exactly as the
    migrations made it: same definitions, rebuilt, analysed.
    """

    def __init__(self, table):
        self.table = table

    def __enter__(self):
        self.indexes = sql(
            """
            SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
            WHERE indrelid = %s::regclass AND NOT indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)
            """,
            [self.table],
        )
        self.constraints = sql(
            """
            SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC
            """,
            [self.table],
        )
        for name, _definition in self.constraints:
            sql(f'ALTER TABLE "{self.table}" DROP CONSTRAINT "{name}"')
        for name, _definition in self.indexes:
            sql(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc):
        sql("SET maintenance_work_mem = '512MB'")
        for name, definition in self.indexes:
            with timed(f"  index {name}"):
                sql(definition)
        for name, definition in self.constraints:
            with timed(f"  constraint {name}"):
                sql(f'ALTER TABLE "{self.table}" ADD CONSTRAINT "{name}" {definition}')
        sql(f'VACUUM (ANALYZE) "{self.table}"')


def timed(label):
    """Context manager printing how long a build step took."""
    return _Timed(label)


class _Timed:
    def __init__(self, label):
        self.label = label

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        note(f"{self.label}: {time.perf_counter() - self.started:.1f} s")


def compare(ours, floor, *, repeat=200, warmup=20):
    """Median seconds of ``ours()`` and ``floor()``, called alternately.

    Alternating the two puts any drift of a shared machine (another process, the
    checkpointer) on both sides; the warm-up fills caches and Django's lazy state.
    """
    for _ in range(warmup):
        ours()
        floor()
    ours_times, floor_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        ours()
        ours_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        floor()
        floor_times.append(time.perf_counter() - started)
    return statistics.median(ours_times), statistics.median(floor_times)


def ratio(name, value, goal):
    """Print the figure line: ``ratio NAME VALUE goal>=X`` (``goal`` is "goal>=0.8" etc.)."""
    print(f"ratio {name} {value:.2f} {goal}", flush=True)


def medians(ours_label, ours, floor_label, floor):
    note(f"median {ours_label} {ours * 1000:.3f} ms, {floor_label} {floor * 1000:.3f} ms")


def note(text):
    print(f"# {text}", flush=True)


MAX_PLAN_LINE = 220


def explain(title, queryset):
    """Print the executed plan of a queryset, with buffers, under a title."""
    note(f"EXPLAIN (ANALYZE, BUFFERS) {title}")
    for line in queryset.explain(analyze=True, buffers=True).splitlines():
        # A list of 1,350 version ids is one line: the plan's shape is what matters.
        print(f"#   {line[:MAX_PLAN_LINE]}{' …' if len(line) > MAX_PLAN_LINE else ''}")
