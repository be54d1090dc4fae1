"""What the demo's modules share: the calendar answers of one seed and a bulk UPDATE."""

import functools

from django.db import connection
from psycopg2.extras import execute_values

from townadmin import workdays

# The idempotency keys of demo applications start so: a town that has one is seeded.
KEY_PREFIX = "demo-"

# The stories ask the calendar the same few hundred questions over and over, and each
# answer is a query: remembered for one seed (cleared before and after it).
add_days = functools.cache(workdays.add_days)
is_workday = functools.cache(workdays.is_workday)


def forget_calendar():
    add_days.cache_clear()
    is_workday.cache_clear()


def update_rows(model, objects, fields):
    """Write ``fields`` of ``objects`` back in one ``UPDATE ... FROM (VALUES ...)``.

    What ``bulk_update`` does, without its CASE WHEN per row and field, which took
    seconds to compile for a few hundred rows.
    """
    if not objects:
        return
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    names = ", ".join(quote(column.column) for column in columns)
    sets = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}" for c in columns)
    template = "(%s, " + ", ".join(f"%s::{c.db_type(connection)}" for c in columns) + ")"
    rows = [
        (
            obj.pk,
            *(c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns),
        )
        for obj in objects
    ]
    sql = f"UPDATE {table} SET {sets} FROM (VALUES %s) AS v (pk, {names}) WHERE {table}.{pk} = v.pk"
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, template=template, page_size=len(rows))
