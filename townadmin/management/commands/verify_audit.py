"""Recompute every audit hash chain in SQL and name each row that no longer fits.

A row whose stored hash differs from the hash of its stored content was altered
("hash mismatch"); a row whose position or previous hash does not follow the row
before it marks a removed, inserted or re-hashed row before it ("chain broken").
Exits non-zero when anything is wrong, so it can run from cron or CI.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from townadmin.models.audit import ROW_HASH_FUNCTION, Chained

# The checks run in the database, over the stored rows: to_jsonb(t) is the row as
# it is now, hashed the way the insert trigger hashed it (the same SQL function).
CHECK_SQL = """
SELECT pk, chain_seq, hash_ok, link_ok FROM (
    SELECT
        t.{pk} AS pk,
        t.chain_seq,
        t.row_hash = {row_hash}(t.prev_hash, t) AS hash_ok,
        t.prev_hash = COALESCE(lag(t.row_hash) OVER chain, '')
            AND t.chain_seq = COALESCE(lag(t.chain_seq) OVER chain, 0) + 1 AS link_ok
    FROM {table} t
    WINDOW chain AS (ORDER BY t.chain_seq)
) checked
WHERE NOT (hash_ok AND link_ok)
ORDER BY chain_seq
"""


def audit_models():
    """Every concrete audit model: transitions, security events, row history events."""
    return sorted(
        (model for model in apps.get_models() if issubclass(model, Chained)),
        key=lambda model: model._meta.db_table,
    )


def check_chain(model):
    """(row count, [problem lines]) for one audit table."""
    table = connection.ops.quote_name(model._meta.db_table)
    sql = CHECK_SQL.format(
        table=table, pk=connection.ops.quote_name(model._meta.pk.column), row_hash=ROW_HASH_FUNCTION
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        count = cursor.fetchone()[0]
        cursor.execute(sql)
        rows = cursor.fetchall()
    problems = []
    for pk, chain_seq, hash_ok, link_ok in rows:
        where = f"{model._meta.db_table} row id={pk} chain_seq={chain_seq}"
        if not hash_ok:
            problems.append(f"{where}: hash mismatch")
        if not link_ok:
            problems.append(f"{where}: chain broken")
    return count, problems


class Command(BaseCommand):
    help = "Verify the hash chains of the audit tables; name every altered row."

    def add_arguments(self, parser):
        parser.add_argument(
            "models",
            nargs="*",
            metavar="app_label.Model",
            help="Check only these audit models (default: every audit table).",
        )

    def handle(self, *args, **options):
        models = audit_models()
        if options["models"]:
            wanted = {label.lower() for label in options["models"]}
            models = [model for model in models if model._meta.label_lower in wanted]
            unknown = wanted - {model._meta.label_lower for model in models}
            if unknown:
                raise CommandError(f"Not audit models: {', '.join(sorted(unknown))}")
        altered = 0
        for model in models:
            count, problems = check_chain(model)
            if problems:
                altered += len(problems)
                for problem in problems:
                    self.stdout.write(self.style.ERROR(problem))
            else:
                self.stdout.write(f"{model._meta.db_table}: ok {count} rows")
        if altered:
            raise CommandError(f"{altered} audit row(s) failed verification")
