"""The list adjustment pages: the reviewers' queue, the town's adjustments, one adjustment."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from powers import services
from powers.models import Adjustment, AdjustmentItem, ListVersion
from powers.services.adjustments import COMMENTS_REQUIRED, OPINION_REQUIRED
from powers.services.approval import DOCUMENT_REQUIRED
from powers.services.item_data import ENTRUSTMENT_NEEDS_TERM
from tests.powers.workflow import county_department, draft, first_list, power_data, to_approval
from townadmin.audit import timeline
from townadmin.workdays import workdays_between
from townadmin.workflow import NOT_IN_STATE

pytestmark = pytest.mark.django_db

Status = Adjustment.Status
NEW = "QR-990100-007"
REVIEW = "powers:review-queue"


def detail_url(adjustment):
    return reverse("powers:adjustment-detail", args=[adjustment.pk])


def step_url(adjustment, step):
    return reverse("powers:adjustment-step", args=[adjustment.pk, step])


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def english(message, **params):
    """``message`` in English as the page shows it (HTML-escaped)."""
    with translation.override("en"):
        return escape(str(message) % params if params else str(message))


@pytest.fixture
def listed(town_a, leader_a, reviewer):
    """Town A's version 1: XK-990100-001 and CF-990100-001."""
    return first_list(town_a, leader_a, reviewer)


@pytest.fixture
def adding(town_a, leader_a, listed):
    """A draft of town A adding one power."""
    return draft(town_a, leader_a, [("add", NEW, power_data(name="独生子女父母光荣证发放"))])


@pytest.fixture
def awaiting_approval(adding, leader_a, reviewer):
    return to_approval(adding, leader_a, reviewer)


def submitted(town, drafter, code, title):
    """An adjustment of ``town`` adding power ``code``, in legal review."""
    department = county_department(town.county, f"{town.county.name}市场监督管理局")
    data = power_data(name=title, department=department.name)
    adjustment = draft(town, drafter, [("add", code, data)], title=title)
    return services.adjustment_submit(adjustment=adjustment, actor=drafter)


# --- The queue ---------------------------------------------------------------------------


def test_the_queue_shows_only_adjustments_of_the_reviewers_towns(
    client_as, town_a, town_elsewhere, leader_a, reviewer, posting_admin, listed
):
    mine = submitted(town_a, leader_a, NEW, "甲镇调整")
    elsewhere = submitted(town_elsewhere, posting_admin, "QR-990200-001", "丙镇调整")

    response = client_as(reviewer).get(reverse(REVIEW))

    assert list(response.context["adjustments"]) == [mine]
    assert elsewhere.title not in response.content.decode()


def test_the_queue_leaves_out_drafts_and_approved_adjustments(
    client_as, town_a, leader_a, reviewer, listed
):
    draft(town_a, leader_a, [("add", NEW, power_data())], title="尚在起草")

    response = client_as(reviewer).get(reverse(REVIEW))

    assert list(response.context["adjustments"]) == []


def test_the_queue_puts_the_longest_wait_first_with_its_working_days_and_items(
    client_as, town_a, leader_a, reviewer, listed
):
    recent = submitted(town_a, leader_a, NEW, "新近")
    older = submitted(town_a, leader_a, "QR-990100-008", "较早")
    waited_since = timezone.now() - datetime.timedelta(days=20)
    Adjustment.objects.filter(pk=older.pk).update(status_since=waited_since)

    rows = list(client_as(reviewer).get(reverse(REVIEW)).context["adjustments"])

    assert rows == [older, recent]
    today = timezone.localdate()
    assert rows[0].working_days == workdays_between(timezone.localdate(waited_since), today)
    assert rows[1].working_days == 0
    assert [row.item_count for row in rows] == [1, 1]


def test_the_queue_costs_the_same_queries_with_ten_times_the_adjustments(
    client_as, town_a, leader_a, reviewer, listed, django_assert_num_queries
):
    def wait_in_queue(count, start):
        for n in range(start, start + count):
            adjustment = submitted(town_a, leader_a, f"QR-990100-{n:03d}", f"调整{n}")
            # Each waits since another day: the working days are counted per date.
            since = timezone.now() - datetime.timedelta(days=n)
            Adjustment.objects.filter(pk=adjustment.pk).update(status_since=since)

    client = client_as(reviewer)
    wait_in_queue(2, start=100)
    client.get(reverse(REVIEW))  # caches that outlive a request are warm for both counts
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(reverse(REVIEW)).context["adjustments"]) == 2
    wait_in_queue(18, start=200)

    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(reverse(REVIEW)).context["adjustments"]) == 20


def test_a_window_clerk_does_not_see_the_review_section(client_as, clerk_a, reviewer):
    clerk_sections = [item["name"] for item in client_as(clerk_a).get("/").context["nav_items"]]
    reviewer_sections = [item["name"] for item in client_as(reviewer).get("/").context["nav_items"]]

    assert REVIEW not in clerk_sections
    assert REVIEW in reviewer_sections


def test_a_window_clerk_gets_403_on_the_queue(client_as, clerk_a):
    assert client_as(clerk_a).get(reverse(REVIEW)).status_code == 403


# --- One adjustment: who sees what, who may do what ------------------------------------


def test_a_window_clerk_of_the_town_reads_the_adjustment_but_is_offered_no_step(
    client_as, clerk_a, awaiting_approval
):
    response = client_as(clerk_a).get(detail_url(awaiting_approval))

    assert response.status_code == 200
    assert response.context["steps"] == []
    assert step_url(awaiting_approval, "approve") not in response.content.decode()


def test_the_approver_is_offered_approval_and_return(client_as, reviewer, awaiting_approval):
    response = client_as(reviewer).get(detail_url(awaiting_approval))

    assert [name for name, _step, _form in response.context["steps"]] == ["approve", "return"]
    assert step_url(awaiting_approval, "approve") in response.content.decode()


def test_a_window_clerk_gets_403_when_posting_an_approval(client_as, clerk_a, awaiting_approval):
    response = client_as(clerk_a).post(
        step_url(awaiting_approval, "approve"), {"document_no": "莒编办〔2026〕9号"}
    )

    assert response.status_code == 403
    awaiting_approval.refresh_from_db()
    assert awaiting_approval.status == Status.SUBMITTED


def test_a_reviewer_of_another_county_gets_404_on_the_page_and_on_a_step(
    client_as, reviewer_elsewhere, awaiting_approval
):
    client = client_as(reviewer_elsewhere)

    assert client.get(detail_url(awaiting_approval)).status_code == 404
    response = client.post(
        step_url(awaiting_approval, "approve"), {"document_no": "丙编办〔2026〕1号"}
    )
    assert response.status_code == 404
    awaiting_approval.refresh_from_db()
    assert awaiting_approval.status == Status.SUBMITTED


def test_a_town_leader_of_another_town_gets_404(client_as, leader_b, adding):
    assert client_as(leader_b).get(detail_url(adding)).status_code == 404


def test_an_unknown_step_is_404(client_as, reviewer, awaiting_approval):
    assert client_as(reviewer).post(step_url(awaiting_approval, "publish")).status_code == 404


def test_returning_without_comments_shows_the_error_and_changes_nothing(
    client_as, reviewer, awaiting_approval
):
    steps_before = timeline(awaiting_approval).count()

    response = in_english(client_as(reviewer)).post(
        step_url(awaiting_approval, "return"), {"comments": "  "}
    )

    assert response.status_code == 400
    assert english(COMMENTS_REQUIRED) in response.content.decode()
    awaiting_approval.refresh_from_db()
    assert awaiting_approval.status == Status.SUBMITTED
    assert awaiting_approval.review_comments == ""
    assert timeline(awaiting_approval).count() == steps_before


def test_returning_with_comments_sends_the_adjustment_back(client_as, reviewer, awaiting_approval):
    response = client_as(reviewer).post(
        step_url(awaiting_approval, "return"), {"comments": "第三项缺少法律依据。"}
    )

    assert response.status_code == 302
    awaiting_approval.refresh_from_db()
    assert awaiting_approval.status == Status.RETURNED
    assert awaiting_approval.review_comments == "第三项缺少法律依据。"


def test_approving_an_already_approved_adjustment_answers_409_with_its_status(
    client_as, reviewer, awaiting_approval
):
    client = in_english(client_as(reviewer))
    client.post(step_url(awaiting_approval, "approve"), {"document_no": "甲编办〔2026〕2号"})
    versions = ListVersion.objects.count()

    response = client.post(
        step_url(awaiting_approval, "approve"), {"document_no": "甲编办〔2026〕3号"}
    )

    assert response.status_code == 409
    with translation.override("en"):
        approved = str(Status.APPROVED.label)
    assert english(NOT_IN_STATE, status=approved) in response.content.decode()
    assert response.context["adjustment"].status == Status.APPROVED
    assert ListVersion.objects.count() == versions


def test_approval_without_a_document_number_shows_the_error(client_as, reviewer, awaiting_approval):
    response = in_english(client_as(reviewer)).post(
        step_url(awaiting_approval, "approve"), {"document_no": ""}
    )

    assert response.status_code == 400
    assert english(DOCUMENT_REQUIRED) in response.content.decode()
    awaiting_approval.refresh_from_db()
    assert awaiting_approval.status == Status.SUBMITTED


def test_approval_publishes_and_the_page_links_to_the_new_public_version(
    client_as, town_a, reviewer, awaiting_approval
):
    client = client_as(reviewer)

    response = client.post(
        step_url(awaiting_approval, "approve"), {"document_no": "甲编办〔2026〕2号"}
    )

    assert response.status_code == 302
    page = client.get(response.url)
    public = reverse("powers:town-lists", args=[town_a.code]) + "?version=2"
    assert public in page.content.decode()
    assert page.context["adjustment"].published_version.number == 2


def test_the_legal_review_needs_an_opinion(client_as, reviewer, adding, leader_a):
    services.adjustment_submit(adjustment=adding, actor=leader_a)

    response = in_english(client_as(reviewer)).post(step_url(adding, "pass-legal-review"), {})

    assert response.status_code == 400
    assert english(OPINION_REQUIRED) in response.content.decode()
    adding.refresh_from_db()
    assert adding.status == Status.LEGAL_REVIEW


# --- The town side: drafting -------------------------------------------------------------


def test_a_town_leader_opens_a_draft_adds_an_item_and_submits_it(
    client_as, town_a, leader_a, listed
):
    client = client_as(leader_a)

    opened = client.post(
        reverse("powers:adjustment-list"), {"title": "2026年第二次调整", "town": town_a.pk}
    )
    adjustment = Adjustment.objects.get(title="2026年第二次调整")
    assert opened.url == detail_url(adjustment)
    added = client.post(
        reverse("powers:adjustment-item-add", args=[adjustment.pk]),
        {"action": "remove", "code": "CF-990100-001", "reason": "该事项已由县局收回。"},
    )
    assert added.status_code == 302
    submitted_ = client.post(step_url(adjustment, "submit"))

    assert submitted_.status_code == 302
    adjustment.refresh_from_db()
    assert adjustment.status == Status.LEGAL_REVIEW
    assert list(adjustment.items.values_list("action", "code")) == [("remove", "CF-990100-001")]


def test_an_item_added_with_its_main_fields_keeps_them(client_as, town_a, leader_a, listed):
    adjustment = draft(town_a, leader_a, [])

    client_as(leader_a).post(
        reverse("powers:adjustment-item-add", args=[adjustment.pk]),
        {
            "action": "add",
            "code": NEW,
            "reason": "县政府决定下放。",
            "name": "独生子女父母光荣证发放",
            "category": "confirmation",
            "department": "甲县市场监督管理局",
            "mode": "devolve",
            "exercised_in_name_of": "甲镇人民政府",
            "effective_from": "2026-03-01",
            "document_no": "甲政发〔2026〕3号",
            "law": "《中华人民共和国人口与计划生育法》",
            "article": "第二十七条",
        },
    )

    item = adjustment.items.get()
    assert (item.action, item.code, item.data["name"]) == ("add", NEW, "独生子女父母光荣证发放")
    assert item.data["legal_bases"][0]["article"] == "第二十七条"


def test_an_item_with_bad_fields_shows_the_errors_and_adds_nothing(
    client_as, town_a, leader_a, listed
):
    adjustment = draft(town_a, leader_a, [])

    response = in_english(client_as(leader_a)).post(
        reverse("powers:adjustment-item-add", args=[adjustment.pk]),
        {
            "action": "add",
            "code": NEW,
            "reason": "委托乡镇实施。",
            "name": "独生子女父母光荣证发放",
            "category": "confirmation",
            "department": "甲县市场监督管理局",
            "mode": "entrust",
            "exercised_in_name_of": "甲县市场监督管理局",
            "effective_from": "2026-03-01",
            "document_no": "甲政发〔2026〕3号",
        },
    )

    assert response.status_code == 400
    assert english(ENTRUSTMENT_NEEDS_TERM) in response.content.decode()
    assert response.context["item_form"].errors["effective_until"]
    assert not AdjustmentItem.objects.filter(adjustment=adjustment).exists()


def test_a_reviewer_cannot_add_items_to_a_town_s_draft(client_as, reviewer, adding):
    response = client_as(reviewer).post(
        reverse("powers:adjustment-item-add", args=[adding.pk]),
        {"action": "remove", "code": "CF-990100-001", "reason": "x"},
    )

    assert response.status_code == 403
    assert adding.items.count() == 1


def test_a_town_leader_takes_an_item_out_of_the_draft(client_as, leader_a, adding):
    item = adding.items.get()

    response = client_as(leader_a).post(
        reverse("powers:adjustment-item-remove", args=[adding.pk, item.pk])
    )

    assert response.status_code == 302
    assert not adding.items.exists()


def test_items_cannot_be_taken_out_after_submission(client_as, leader_a, adding):
    services.adjustment_submit(adjustment=adding, actor=leader_a)
    item = adding.items.get()

    response = client_as(leader_a).post(
        reverse("powers:adjustment-item-remove", args=[adding.pk, item.pk])
    )

    assert response.status_code == 409
    assert adding.items.exists()


def test_the_town_side_lists_only_the_leaders_towns(client_as, leader_b, adding):
    response = client_as(leader_b).get(reverse("powers:adjustment-list"))

    assert list(response.context["adjustments"]) == []
    assert reverse("powers:adjustment-detail", args=[adding.pk]) not in response.content.decode()


def test_a_leader_cannot_open_a_draft_for_another_town(client_as, leader_b, town_a):
    response = client_as(leader_b).post(
        reverse("powers:adjustment-list"), {"title": "越权调整", "town": town_a.pk}
    )

    assert response.status_code == 400
    assert not Adjustment.objects.filter(title="越权调整").exists()


def test_a_window_clerk_cannot_open_the_town_side(client_as, clerk_a):
    assert client_as(clerk_a).get(reverse("powers:adjustment-list")).status_code == 403


# --- What the page shows -----------------------------------------------------------------


def test_a_change_shows_the_listed_value_next_to_the_proposed_one(
    client_as, town_a, leader_a, listed
):
    adjustment = draft(
        town_a, leader_a, [("change", "XK-990100-001", {"name": "食品经营许可（仅小作坊）"})]
    )

    response = client_as(leader_a).get(detail_url(adjustment))

    [change] = response.context["changes"]
    [(label, now, proposed)] = change.fields
    assert (now, proposed) == ("事项XK-990100-001", "食品经营许可（仅小作坊）")
    assert change.fits


def test_the_page_shows_the_whole_timeline(client_as, reviewer, awaiting_approval):
    response = client_as(reviewer).get(detail_url(awaiting_approval))

    steps = [row["transition"] for row in response.context["timeline"]]
    assert steps == list(timeline(awaiting_approval))
    assert [step.to_status for step in steps] == ["draft", "draft", "legal_review", "submitted"]
    assert "合法性审查通过。" in response.content.decode()


def test_the_page_costs_the_same_queries_with_ten_times_the_items(
    client_as, town_a, leader_a, listed, django_assert_num_queries
):
    def with_items(count, start):
        items = [
            ("add", f"QR-990100-{n:03d}", power_data(name=f"事项{n}"))
            for n in range(start, start + count)
        ]
        return draft(town_a, leader_a, items, title=f"调整{start}")

    small, large = with_items(2, start=100), with_items(20, start=200)
    client = client_as(leader_a)
    client.get(detail_url(small))
    with CaptureQueriesContext(connection) as baseline:
        client.get(detail_url(small))

    with django_assert_num_queries(len(baseline.captured_queries)):
        assert len(client.get(detail_url(large)).context["changes"]) == 20


def test_the_waiting_block_counts_what_waits_for_the_reviewer(
    client_as, reviewer, awaiting_approval
):
    response = client_as(reviewer).get(reverse("powers:review-waiting"))

    assert response.context["awaiting"] == 1
    assert reverse(REVIEW) in response.content.decode()


def test_only_the_innermost_section_is_marked_current(client, admin_user):
    client.force_login(admin_user)

    nav = client.get(reverse("powers:adjustment-list")).context["nav_items"]

    assert [item["name"] for item in nav if item["current"]] == ["powers:adjustment-list"]


def test_an_approved_adjustment_is_read_against_the_list_it_changed(
    client_as, reviewer, listed, awaiting_approval
):
    services.adjustment_approve(
        adjustment=awaiting_approval, document_no="甲编办〔2026〕2号", actor=reviewer
    )

    response = client_as(reviewer).get(detail_url(awaiting_approval))

    assert response.context["compared_version"] == listed
    assert [change.fits for change in response.context["changes"]] == [True]
    assert response.context["steps"] == []
