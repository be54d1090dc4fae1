"""The clerk's desk (/hall/): the item search, the intake form and the window's queue."""

import pytest
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import ric

from servicecenter.choices import Channel
from servicecenter.models import Application, SubmittedMaterial
from servicecenter.services import application_accept, application_intake
from servicecenter.services.intake import NOT_HELD
from tests.servicecenter.factories import make_item, material_ids, person
from townadmin.audit import timeline
from townadmin.identity import WRONG_CHECKSUM
from townadmin.models.audit import Transition
from townadmin.models.calendar import CalendarYear

pytestmark = pytest.mark.django_db

Status = Application.Status
State = SubmittedMaterial.State
DESK = reverse("servicecenter:hall")
SEARCH = reverse("servicecenter:hall-item-search")


@pytest.fixture(autouse=True)
def next_year_on_the_calendar(db):
    """A clock started today may run into next year: mark it loaded, as an administrator
    does once the State Council publishes it."""
    CalendarYear.objects.get_or_create(year=timezone.localdate().year + 1)


def intake_url(item):
    return reverse("servicecenter:hall-intake", args=[item.pk])


def take(item, actor, *, seed=7, channel=Channel.WINDOW):
    application, _created = application_intake(
        item=item,
        channel=channel,
        applicant=person(seed=seed),
        materials=material_ids(item),
        actor=actor,
    )
    return application


def intake_data(item, applicant, *names, **changes):
    """The intake form as a clerk fills it: every brought material ticked unless named."""
    data = {
        "applicant_type": applicant["type"],
        "name": applicant["name"],
        "id_number": applicant["id_number"],
        "phone": applicant["phone"],
        "materials": material_ids(item, *names),
        "channel": Channel.WINDOW,
        "idempotency_key": "",
    }
    return {**data, **changes}


# --- The item search ---------------------------------------------------------------------


def test_the_search_finds_a_published_item_of_the_clerks_town_by_part_of_its_name(
    client_as, clerk_a, item_a
):
    response = client_as(clerk_a).get(SEARCH, {"q": "规划许可"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.context["items"] == [item_a]
    assert intake_url(item_a).encode() in response.content


def test_the_search_finds_an_item_by_its_code(client_as, clerk_a, item_a):
    response = client_as(clerk_a).get(DESK, {"q": item_a.code.lower()})

    assert response.context["items"] == [item_a]


def test_the_search_leaves_out_other_towns_and_unpublished_items(
    client_as, clerk_a, item_a, item_b
):
    hidden = make_item(item_a.town, name="乡村建设规划许可证变更")
    hidden.is_published = False
    hidden.save()

    response = client_as(clerk_a).get(SEARCH, {"q": "规划许可"})

    assert response.context["items"] == [item_a]


def test_a_user_who_takes_no_applications_in_gets_403_on_the_desk(client_as, approver_a):
    assert client_as(approver_a).get(DESK).status_code == 403


# --- The queue ---------------------------------------------------------------------------


def test_the_queue_lists_what_waits_at_the_window_the_longest_wait_first(
    client_as, clerk_a, agent_a, item_a
):
    first = take(item_a, clerk_a, seed=1)
    draft = take(item_a, agent_a, seed=2, channel=Channel.AGENT)
    accepted = take(item_a, clerk_a, seed=3)
    application_accept(application=accepted, actor=clerk_a)

    response = client_as(clerk_a).get(DESK)

    assert [a.pk for a in response.context["queue"]] == [first.pk, draft.pk]


def test_the_queue_leaves_out_other_towns(client_as, clerk_a, clerk_b, item_a, item_b):
    mine = take(item_a, clerk_a)
    take(item_b, clerk_b)

    response = client_as(clerk_a).get(DESK)

    assert [a.pk for a in response.context["queue"]] == [mine.pk]


def test_the_queue_costs_the_same_queries_at_3_and_30_applications(
    client_as, clerk_a, item_a, django_assert_max_num_queries
):
    other = make_item(item_a.town, name="农村村民宅基地审批")
    for seed in range(3):
        take(other if seed % 2 else item_a, clerk_a, seed=seed)
    client = client_as(clerk_a)
    with django_assert_max_num_queries(100) as small:
        client.get(DESK)
    for seed in range(3, 30):
        take(other if seed % 2 else item_a, clerk_a, seed=seed)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(DESK)

    assert len(response.context["queue"]) == 30


# --- Intake ------------------------------------------------------------------------------


def test_the_intake_form_shows_a_shared_material_ticked_and_disabled_with_its_source(
    client_as, clerk_a, item_a
):
    response = client_as(clerk_a).get(intake_url(item_a))

    assert response.status_code == 200
    rows = {
        material.name: checked for material, checked in response.context["form"].material_rows()
    }
    assert rows["不动产权属证明"] is True
    assert rows["申请表"] is False
    shared = item_a.materials.get(name="不动产权属证明")
    body = response.content.decode()
    assert f'id="material-{shared.pk}" checked disabled' in body
    assert "不动产登记信息平台" in body


def test_the_intake_form_offers_the_clerk_the_window_and_the_agent_the_agents_channel(
    client_as, clerk_a, agent_a, item_a
):
    clerk_form = client_as(clerk_a).get(intake_url(item_a)).context["form"]
    agent_form = client_as(agent_a).get(intake_url(item_a)).context["form"]

    assert [value for value, _label in clerk_form.fields["channel"].choices] == [Channel.WINDOW]
    assert [value for value, _label in agent_form.fields["channel"].choices] == [Channel.AGENT]


def test_intake_takes_the_application_in_and_opens_its_page(client_as, clerk_a, item_a, applicant):
    response = client_as(clerk_a).post(
        intake_url(item_a), intake_data(item_a, applicant, "申请表", "申请人身份证明")
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("servicecenter:hall-application", args=[application.pk])
    assert application.status == Status.RECEIVED
    assert application.first_clerk == clerk_a
    states = dict(application.materials.values_list("material__name", "state"))
    assert states["建设工程设计方案"] == State.MISSING
    assert states["不动产权属证明"] == State.SHARED


def test_intake_with_a_wrong_check_digit_answers_400_and_creates_nothing(
    client_as, clerk_a, item_a, applicant
):
    number = applicant["id_number"]
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")

    response = client_as(clerk_a).post(
        intake_url(item_a), intake_data(item_a, applicant, id_number=wrong)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["id_number"] == [str(WRONG_CHECKSUM)]
    assert not Application.objects.exists()
    assert not Transition.objects.filter(content_type__model="application").exists()


def test_an_unknown_area_code_is_taken_in_with_a_warning(client_as, clerk_a, item_a):
    # 990100 is no division of the table: the hall takes the number and warns.
    body = "99010019800101123"
    # calc_check_digit reads the first 17 characters of a full-length number.
    applicant = {**person(), "id_number": body + ric.calc_check_digit(body + "0")}

    response = client_as(clerk_a).post(
        intake_url(item_a), intake_data(item_a, applicant), follow=True
    )

    application = Application.objects.get()
    assert response.status_code == 200
    assert application.area_unknown
    warnings = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "990100" in str(warnings[0])


def test_sending_the_same_intake_form_twice_takes_one_application(
    client_as, clerk_a, item_a, applicant
):
    client = client_as(clerk_a)
    data = intake_data(item_a, applicant, idempotency_key="desk-7f3a")

    first = client.post(intake_url(item_a), data)
    second = client.post(intake_url(item_a), data)

    application = Application.objects.get()
    assert (
        first.url == second.url == reverse("servicecenter:hall-application", args=[application.pk])
    )
    assert timeline(application).count() == 1


def test_an_item_the_town_does_not_hold_is_refused_with_the_county_hall_named(
    client_as, clerk_a, town_a, applicant
):
    item = make_item(town_a, held=False)

    response = client_as(clerk_a).post(intake_url(item), intake_data(item, applicant))

    assert response.status_code == 400
    expected = NOT_HELD % {
        "town": town_a.name,
        "power": item.name,
        "county": town_a.county.name,
    }
    assert response.context["form"].non_field_errors() == [expected]
    assert not Application.objects.exists()


def test_a_clerk_of_another_town_gets_404_on_the_intake_form(client_as, clerk_b, item_a):
    assert client_as(clerk_b).get(intake_url(item_a)).status_code == 404


def test_a_clerk_of_another_town_posting_the_intake_form_gets_404_and_creates_nothing(
    client_as, clerk_b, item_a, applicant
):
    response = client_as(clerk_b).post(intake_url(item_a), intake_data(item_a, applicant))

    assert response.status_code == 404
    assert not Application.objects.exists()
