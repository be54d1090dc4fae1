"""The hash chain of the audit tables and ``manage.py verify_audit``."""

import io
import threading

import pgtrigger
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from townadmin.audit import record_transition
from townadmin.models import County
from townadmin.models.audit import Transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return County.objects.create(code="371122", name="莒县", province="山东省")


def record(obj, to_status="filed"):
    return record_transition(obj=obj, from_status="draft", to_status=to_status, actor=None)


def verify_audit(*models):
    """(exit ok, output lines) of manage.py verify_audit."""
    out = io.StringIO()
    try:
        call_command("verify_audit", *models, stdout=out)
    except CommandError:
        return False, out.getvalue().splitlines()
    return True, out.getvalue().splitlines()


def test_each_audit_row_is_hashed_after_the_row_before_it(county):
    first, second = record(county), record(county)

    assert (first.chain_seq, second.chain_seq) == (1, 2)
    assert first.prev_hash == ""
    assert second.prev_hash == first.row_hash
    assert len(second.row_hash) == 64 and second.row_hash != first.row_hash


def test_a_bulk_insert_is_chained_row_by_row(county):
    first = record(county)
    bulk = Transition.objects.bulk_create(
        [
            Transition(content_type=first.content_type, object_id=county.pk, to_status=status)
            for status in ("filed", "accepted", "decided")
        ]
    )

    chain = list(Transition.objects.values_list("chain_seq", "prev_hash", "row_hash"))
    assert [seq for seq, _prev, _hash in chain] == [1, 2, 3, 4]
    assert [prev for _seq, prev, _hash in chain[1:]] == [row for _s, _p, row in chain[:-1]]
    assert [row.chain_seq for row in bulk] == [2, 3, 4]


def test_chain_values_sent_by_python_are_overwritten_by_the_database(county):
    first = record(county)
    forged = Transition.objects.create(
        content_type=first.content_type,
        object_id=county.pk,
        to_status="filed",
        chain_seq=99,
        prev_hash="f" * 64,
        row_hash="0" * 64,
    )
    forged.refresh_from_db()

    assert (forged.chain_seq, forged.prev_hash) == (2, first.row_hash)
    assert forged.row_hash != "0" * 64


def test_verify_audit_reports_an_untouched_chain_as_ok(county):
    for to_status in ("draft", "filed", "accepted"):
        record(county, to_status)

    ok, lines = verify_audit()

    assert ok
    assert "townadmin_transition: ok 3 rows" in lines


def test_verify_audit_pinpoints_the_altered_row(county):
    _first, altered, _last = record(county), record(county), record(county)
    with pgtrigger.ignore("townadmin.Transition:append_only"):
        Transition.objects.filter(pk=altered.pk).update(reason="rewritten afterwards")

    ok, lines = verify_audit()

    assert not ok
    assert [line for line in lines if line.startswith("townadmin_transition")] == [
        f"townadmin_transition row id={altered.pk} chain_seq=2: hash mismatch"
    ]


def test_verify_audit_finds_a_row_altered_with_the_triggers_switched_off(county):
    _first, altered = record(county), record(county)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE townadmin_transition SET to_status = 'refused' WHERE id = %s", [altered.pk]
        )
        cursor.execute("SET LOCAL session_replication_role = origin")

    ok, lines = verify_audit("townadmin.Transition")

    assert not ok
    assert f"townadmin_transition row id={altered.pk} chain_seq=2: hash mismatch" in lines


def test_verify_audit_reports_a_removed_row_as_a_broken_chain(county):
    _first, removed, following = record(county), record(county), record(county)
    with pgtrigger.ignore("townadmin.Transition:append_only"):
        Transition.objects.filter(pk=removed.pk).delete()

    ok, lines = verify_audit("townadmin.Transition")

    assert not ok
    assert [line for line in lines if line.startswith("townadmin_transition")] == [
        f"townadmin_transition row id={following.pk} chain_seq=3: chain broken"
    ]


def test_verify_audit_checks_the_row_history_tables_too(county):
    county.name = "莒县人民政府"
    county.save()
    event = county.events.get(pgh_label="update")
    with pgtrigger.ignore("townadmin.CountyEvent:append_only"):
        type(event).objects.filter(pk=event.pk).update(name="篡改")

    ok, lines = verify_audit("townadmin.CountyEvent")

    assert not ok
    assert lines == [
        f"townadmin_countyevent row id={event.pk} chain_seq={event.chain_seq}: hash mismatch"
    ]


def test_verify_audit_checks_only_the_models_it_is_given(county):
    record(county)

    ok, lines = verify_audit("townadmin.Transition")

    assert ok
    assert lines == ["townadmin_transition: ok 1 rows"]


def test_verify_audit_refuses_a_model_that_is_not_audited():
    with pytest.raises(CommandError, match="townadmin.county"):
        call_command("verify_audit", "townadmin.County", stdout=io.StringIO())


def test_a_row_written_by_a_session_in_beijing_time_still_verifies(county):
    # to_jsonb renders timestamps in the session's time zone; the hash must not depend on it.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'Asia/Shanghai'")
        record(county)
        cursor.execute("SET LOCAL TIME ZONE 'UTC'")

    ok, lines = verify_audit("townadmin.Transition")

    assert ok, lines


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_from_two_threads_form_one_unbroken_chain(county):
    rows_per_thread = 15
    start = threading.Barrier(2)
    errors = []

    def clerk_at_work():
        try:
            start.wait()
            for _ in range(rows_per_thread):
                with transaction.atomic():
                    record(county)
        except Exception as error:  # reported to the test's thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk_at_work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    seqs = list(Transition.objects.values_list("chain_seq", flat=True))
    assert seqs == list(range(1, 2 * rows_per_thread + 1))
    ok, lines = verify_audit("townadmin.Transition")
    assert ok, lines
