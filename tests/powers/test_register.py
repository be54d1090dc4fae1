"""The devolution register: who holds which power on which date, in whose name."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from powers.choices import DevolutionMode
from powers.models import Devolution
from powers.selectors import holding, holding_by_code
from powers.services import devolution_register, devolution_revoke
from powers.services.register import ALREADY_HELD, NOT_DEVOLVABLE, RE_ENTRUSTMENT
from tests.powers.workflow import make_power
from townadmin.audit import timeline
from townadmin.models.calendar import DayType

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 3, 1)
END = datetime.date(2026, 8, 31)


@pytest.fixture
def power(county_a):
    return make_power(county_a)


def register(town, power, actor, **fields):
    fields.setdefault("mode", DevolutionMode.ENTRUST)
    fields.setdefault("exercised_in_name_of", "甲县市场监督管理局")
    fields.setdefault("effective_from", START)
    fields.setdefault("effective_until", END if fields["mode"] == DevolutionMode.ENTRUST else None)
    fields.setdefault("document_no", "甲政发〔2026〕3号")
    return devolution_register(town=town, power=power, actor=actor, **fields)


def test_the_holding_selector_answers_nothing_before_the_term_starts(town_a, power, reviewer):
    register(town_a, power, reviewer)

    assert holding(town=town_a, power=power, on=START - datetime.timedelta(days=1)) is None


def test_the_holding_selector_answers_the_devolution_and_its_name_inside_the_term(
    town_a, power, reviewer
):
    devolution = register(town_a, power, reviewer)

    for day in (START, datetime.date(2026, 6, 1), END):
        held = holding(town=town_a, power=power, on=day)
        assert held == devolution
        assert held.exercised_in_name_of == "甲县市场监督管理局"


def test_the_holding_selector_answers_nothing_after_the_term_ends(town_a, power, reviewer):
    register(town_a, power, reviewer)

    assert holding(town=town_a, power=power, on=END + datetime.timedelta(days=1)) is None


def test_a_revocation_ends_the_holding_from_its_day_but_not_before(town_a, power, reviewer):
    devolution = register(town_a, power, reviewer, mode=DevolutionMode.DEVOLVE)
    revoked_on = datetime.date(2026, 5, 1)

    devolution_revoke(devolution=devolution, on=revoked_on, reason="县政府收回", actor=reviewer)

    assert holding(town=town_a, power=power, on=revoked_on - datetime.timedelta(days=1))
    assert holding(town=town_a, power=power, on=revoked_on) is None


def test_the_holding_selector_finds_a_power_by_its_catalogue_code(town_a, power, reviewer):
    devolution = register(town_a, power, reviewer)

    assert holding_by_code(town=town_a, code=power.code, on=START) == devolution


def test_a_power_held_by_one_town_is_not_held_by_another(town_a, town_b, power, reviewer):
    register(town_a, power, reviewer)

    assert holding_by_code(town=town_b, code=power.code, on=START) is None


def test_it_refuses_to_entrust_again_a_power_that_was_entrusted(town_a, power, reviewer):
    entrusted = register(town_a, power, reviewer)
    devolution_revoke(devolution=entrusted, on=START, reason="改由镇政府转委托", actor=reviewer)

    with pytest.raises(ValidationError) as refused:
        register(town_a, power, reviewer, parent=entrusted)

    assert refused.value.message_dict["mode"] == [str(RE_ENTRUSTMENT)]
    assert Devolution.objects.count() == 1


def test_it_refuses_a_power_the_catalogue_keeps_at_county_level(town_a, county_a, reviewer):
    power = make_power(county_a, code="CF-990100-009", may_devolve=False)

    with pytest.raises(ValidationError) as refused:
        register(town_a, power, reviewer)

    assert refused.value.message_dict["power"] == [str(NOT_DEVOLVABLE)]
    assert not Devolution.objects.exists()


def test_it_refuses_a_second_holding_in_force_of_the_same_power(town_a, power, reviewer):
    register(town_a, power, reviewer)

    with pytest.raises(ValidationError) as refused:
        register(town_a, power, reviewer, mode=DevolutionMode.ASSIGN)

    assert refused.value.message_dict["power"] == [str(ALREADY_HELD)]


def test_an_entrustment_needs_the_day_its_term_ends(town_a, power, reviewer):
    with pytest.raises(ValidationError) as refused:
        register(town_a, power, reviewer, effective_until=None)

    assert "__all__" in refused.value.message_dict
    assert not Devolution.objects.exists()


def test_an_entrustment_is_due_for_renewal_fifteen_calendar_days_before_its_term_ends(
    town_a, power, reviewer
):
    devolution = register(town_a, power, reviewer)

    assert devolution.due_date == datetime.date(2026, 8, 16)
    assert devolution.day_type == DayType.CALENDAR
    assert devolution.started_at is not None


def test_a_devolution_in_the_town_s_name_has_no_renewal_clock(town_a, power, reviewer):
    devolution = register(
        town_a, power, reviewer, mode=DevolutionMode.DEVOLVE, exercised_in_name_of="甲镇人民政府"
    )

    assert devolution.due_date is None


def test_registering_and_revoking_leave_transition_records(town_a, power, reviewer):
    devolution = register(town_a, power, reviewer)

    devolution_revoke(devolution=devolution, on=END, reason="委托期满前收回", actor=reviewer)

    steps = [(t.from_status, t.to_status, t.actor) for t in timeline(devolution)]
    assert steps == [("", "active", reviewer), ("active", "revoked", reviewer)]


def test_a_window_clerk_cannot_register_a_devolution(town_a, power, clerk_a):
    with pytest.raises(PermissionDenied):
        register(town_a, power, clerk_a)


def test_a_reviewer_of_another_county_cannot_reach_the_town(town_a, power, reviewer_elsewhere):
    with pytest.raises(Http404):
        register(town_a, power, reviewer_elsewhere)
