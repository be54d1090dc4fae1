"""Ratings (好差评): once per completed application, a rectification for a bad one with
its clocks in working days, one re-rating after the rectification, appeals."""

import datetime
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from servicecenter.choices import Channel, Decision, RatingLevel, RatingTag
from servicecenter.models import Rating, Rectification
from servicecenter.services import (
    application_accept,
    application_complete,
    application_intake,
)
from servicecenter.services.ratings import (
    ALREADY_RATED,
    NOT_COMPLETED,
    rating_submit,
    rectification_appeal,
    rectification_call_back,
    rectification_decide_appeal,
    rectification_rectify,
)
from tests.servicecenter.factories import material_ids
from townadmin.audit import timeline
from townadmin.models.outbox import OutboxMessage
from townadmin.workflow import StateConflictError

pytestmark = pytest.mark.django_db

Status = Rectification.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")


def completed(item, clerk, approver, applicant):
    """An application taken at the window, accepted and approved, through the services."""
    application, _created = application_intake(
        item=item,
        channel=Channel.WINDOW,
        applicant=applicant,
        materials=material_ids(item),
        actor=clerk,
    )
    application_accept(application=application, actor=clerk)
    return application_complete(
        application=application,
        actor=approver,
        decision=Decision.APPROVED,
        certificate_no="乡建字第2026-001号",
    )


@contextmanager
def it_is(year, month, day, hour=10):
    """The services read Django's clock; freeze it at a local time of day."""
    moment = datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


@pytest.fixture
def application(item_a, clerk_a, approver_a, applicant):
    return completed(item_a, clerk_a, approver_a, applicant)


def bad_rating(application):
    return rating_submit(
        application=application,
        level=RatingLevel.VERY_DISSATISFIED,
        tags=[RatingTag.SLOW],
        comment="等了很久",
    )


def test_a_completed_application_is_rated_once_with_its_tags(application):
    rating = rating_submit(
        application=application,
        level=RatingLevel.VERY_SATISFIED,
        tags=[RatingTag.FRIENDLY, RatingTag.EFFICIENT],
        comment="很快",
    )

    assert (rating.round, rating.level, rating.tags) == (1, 5, ["friendly", "efficient"])
    assert rating.town_id == application.town_id
    assert list(Rating.objects.filter(application=application)) == [rating]


def test_the_rating_is_a_step_in_the_application_s_timeline(application):
    rating_submit(application=application, level=RatingLevel.SATISFIED)

    step = list(timeline(application))[-1]
    assert (step.from_status, step.to_status, step.actor) == ("approved", "approved", None)
    assert step.payload["step"] == "rated"


def test_a_second_round_one_rating_is_a_conflict_and_changes_nothing(application):
    rating_submit(application=application, level=RatingLevel.SATISFIED)

    with pytest.raises(StateConflictError) as conflict:
        rating_submit(application=application, level=RatingLevel.VERY_DISSATISFIED)

    assert conflict.value.messages == [str(ALREADY_RATED)]
    assert Rating.objects.filter(application=application).count() == 1
    assert not Rectification.objects.exists()


def test_a_draft_cannot_be_rated(item_a, applicant):
    draft, _created = application_intake(
        item=item_a, channel=Channel.ONLINE, applicant=applicant, materials=[], actor=None
    )

    with pytest.raises(StateConflictError) as conflict:
        rating_submit(application=draft, level=RatingLevel.SATISFIED)

    assert conflict.value.messages == [str(NOT_COMPLETED)]
    assert conflict.value.current == {"status": "draft"}
    assert not Rating.objects.exists()


def test_only_standard_tags_are_taken(application):
    with pytest.raises(ValidationError) as error:
        rating_submit(application=application, level=RatingLevel.SATISFIED, tags=["nice"])

    assert "tags" in error.value.message_dict
    assert not Rating.objects.exists()


def test_a_good_rating_opens_no_rectification(application):
    rating_submit(application=application, level=RatingLevel.BASICALLY_SATISFIED)

    assert not Rectification.objects.exists()


def test_a_bad_rating_before_national_day_is_called_back_on_the_first_working_day_after_it(
    application, clerk_a, settings
):
    """2026: 1-7 October are holidays, Saturday 10 October a make-up working day. Rated on
    Wednesday 30 September: the call-back is due on Thursday 8 October, and the 15 working
    days of the fix run 8, 9, 10 (Saturday), 12-16, 19-23, 26 and 27 October."""
    settings.RECTIFICATION_WORKDAYS = 15
    with it_is(2026, 9, 30):
        rating = bad_rating(application)

    rectification = Rectification.objects.get(rating=rating)
    assert rectification.status == Status.OPEN
    assert rectification.owner == clerk_a
    assert rectification.due_date == datetime.date(2026, 10, 8)
    assert rectification.fix_due_date == datetime.date(2026, 10, 27)


def test_a_bad_rating_on_a_friday_is_called_back_on_monday(application, settings):
    settings.RECTIFICATION_WORKDAYS = 3
    with it_is(2026, 6, 12):
        rating = bad_rating(application)

    rectification = Rectification.objects.get(rating=rating)
    assert rectification.due_date == datetime.date(2026, 6, 15)
    # Monday 15, Tuesday 16, Wednesday 17 June: the Dragon Boat Festival is on the 19th.
    assert rectification.fix_due_date == datetime.date(2026, 6, 17)


def test_a_bad_rating_tells_the_responsible_clerk_and_the_town_s_leaders_only(
    application, clerk_a, leader_a, leader_b
):
    bad_rating(application)

    told = set(
        OutboxMessage.objects.filter(
            channel="inbox", subject__contains=application.receipt_no
        ).values_list("recipient__username", flat=True)
    )
    assert told == {"clerk_a", "leader_a"}


def test_the_applicant_cannot_rate_again_before_the_rectification(application, clerk_a):
    rating = bad_rating(application)
    rectification_call_back(rectification=rating.rectification, actor=clerk_a, note="已回访")

    with pytest.raises(StateConflictError):
        rating_submit(application=application, level=RatingLevel.SATISFIED)

    assert Rating.objects.filter(application=application).count() == 1


def test_the_applicant_rates_once_more_after_the_rectification(application, clerk_a):
    rating = bad_rating(application)
    rectification = rectification_call_back(
        rectification=rating.rectification, actor=clerk_a, note="申请人反映等待时间长"
    )
    rectification_rectify(rectification=rectification, actor=clerk_a, measures="增设窗口")

    second = rating_submit(application=application, level=RatingLevel.SATISFIED)

    assert second.round == 2
    rectification.refresh_from_db()
    assert rectification.status == Status.RERATED
    assert not Rectification.objects.filter(rating=second).exists()


def test_a_third_rating_is_a_conflict_even_when_the_second_was_bad(application, clerk_a):
    rating = bad_rating(application)
    rectification = rectification_call_back(
        rectification=rating.rectification, actor=clerk_a, note="已回访"
    )
    rectification_rectify(rectification=rectification, actor=clerk_a, measures="已整改")
    second = bad_rating(application)

    with pytest.raises(StateConflictError):
        rating_submit(application=application, level=RatingLevel.SATISFIED)

    assert second.round == 2
    assert Rectification.objects.count() == 1


def test_the_rectification_invites_the_applicant_to_rate_again_by_sms(application, clerk_a):
    rating = bad_rating(application)
    rectification = rectification_call_back(
        rectification=rating.rectification, actor=clerk_a, note="已回访"
    )

    rectification_rectify(rectification=rectification, actor=clerk_a, measures="增设导办员")

    sms = OutboxMessage.objects.get(dedupe_key=f"rectification-rectified-{rectification.pk}")
    assert (sms.channel, sms.address) == ("sms", application.applicant_phone)
    assert application.receipt_no in sms.subject and "增设导办员" in sms.subject


def test_the_call_back_needs_a_record_of_what_was_said(application, clerk_a):
    rating = bad_rating(application)

    with pytest.raises(ValidationError) as error:
        rectification_call_back(rectification=rating.rectification, actor=clerk_a, note=" ")

    assert "note" in error.value.message_dict
    assert Rectification.objects.get().status == Status.OPEN


def test_every_step_of_a_rectification_is_in_its_timeline(application, clerk_a):
    rating = bad_rating(application)
    rectification = rectification_call_back(
        rectification=rating.rectification, actor=clerk_a, note="已回访"
    )
    rectification_rectify(rectification=rectification, actor=clerk_a, measures="已整改")
    rating_submit(application=application, level=RatingLevel.SATISFIED)

    steps = [(step.from_status, step.to_status, step.actor) for step in timeline(rectification)]
    assert steps == [
        ("", "open", None),
        ("open", "called_back", clerk_a),
        ("called_back", "rectified", clerk_a),
        ("rectified", "rerated", None),
    ]


def test_an_upheld_appeal_excludes_the_rating(application, leader_a, reviewer):
    rating = bad_rating(application)
    rectification_appeal(
        rectification=rating.rectification, actor=leader_a, reason="申请人事后承认系误评"
    )

    rectification_decide_appeal(
        rectification=rating.rectification, actor=reviewer, uphold=True, reason="有录音为证"
    )

    rating.refresh_from_db()
    assert rating.excluded
    assert rating.rectification.status == Status.UPHELD


def test_a_dismissed_appeal_returns_the_rectification_to_where_it_was(
    application, clerk_a, leader_a, reviewer
):
    rating = bad_rating(application)
    rectification_call_back(rectification=rating.rectification, actor=clerk_a, note="已回访")
    rectification_appeal(rectification=rating.rectification, actor=leader_a, reason="恶意差评")

    decided = rectification_decide_appeal(
        rectification=rating.rectification, actor=reviewer, uphold=False, reason="证据不足"
    )

    assert decided.status == Status.CALLED_BACK
    rating.refresh_from_db()
    assert not rating.excluded


def test_a_leader_of_another_town_cannot_find_the_rectification(application, leader_b):
    rating = bad_rating(application)

    with pytest.raises(Http404):
        rectification_appeal(rectification=rating.rectification, actor=leader_b, reason="恶意")

    assert Rectification.objects.get().status == Status.OPEN


def test_a_reviewer_of_another_county_cannot_decide_the_appeal(
    application, leader_a, reviewer_elsewhere
):
    rating = bad_rating(application)
    rectification_appeal(rectification=rating.rectification, actor=leader_a, reason="恶意差评")

    with pytest.raises(Http404):
        rectification_decide_appeal(
            rectification=rating.rectification,
            actor=reviewer_elsewhere,
            uphold=True,
            reason="同意",
        )

    assert Rectification.objects.get().status == Status.APPEALED


def test_a_clerk_cannot_appeal_for_the_town(application, clerk_a):
    rating = bad_rating(application)

    with pytest.raises(Http404):
        rectification_appeal(rectification=rating.rectification, actor=clerk_a, reason="恶意差评")
