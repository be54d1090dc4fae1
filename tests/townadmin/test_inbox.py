"""My messages (/inbox/): the user's own messages, newest first, paged, marked read one or all."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from townadmin.models import County, Town, User
from townadmin.models.outbox import InboxMessage
from townadmin.views_inbox import ALL_MARKED_READ

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    county = County.objects.create(code="371122", name="莒县", province="山东省")
    return Town.objects.create(county=county, code="371122104", name="夏庄镇")


@pytest.fixture
def clerk():
    return User.objects.create_user("clerk")


@pytest.fixture
def other_clerk():
    return User.objects.create_user("other_clerk")


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def make_messages(user, count, town=None, read=False):
    now = timezone.now()
    return InboxMessage.objects.bulk_create(
        InboxMessage(
            user=user,
            subject=f"Message {n}",
            body="Body",
            town=town,
            created_at=now - timedelta(minutes=count - n),
            read_at=now if read else None,
        )
        for n in range(count)
    )


def subjects(response):
    return [message.subject for message in response.context["inbox_messages"]]


def test_the_inbox_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get(reverse("inbox"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_lists_the_users_messages_newest_first(clerk_client, clerk):
    make_messages(clerk, 3)

    response = clerk_client.get(reverse("inbox"))

    assert subjects(response) == ["Message 2", "Message 1", "Message 0"]


def test_it_shows_only_the_users_own_messages(clerk_client, clerk, other_clerk):
    make_messages(clerk, 1)
    InboxMessage.objects.create(user=other_clerk, subject="Not for the clerk")

    response = clerk_client.get(reverse("inbox"))

    assert subjects(response) == ["Message 0"]
    assert b"Not for the clerk" not in response.content


def test_unread_messages_are_marked_and_offer_a_mark_as_read_button(clerk_client, clerk):
    [unread] = make_messages(clerk, 1)
    [read] = make_messages(clerk, 1, read=True)

    page = clerk_client.get(reverse("inbox")).content.decode()

    assert f'class="inbox-message unread" id="message-{unread.pk}"' in page
    assert f'class="inbox-message" id="message-{read.pk}"' in page
    assert page.count(reverse("inbox-read", args=[unread.pk])) == 2  # action and hx-post
    assert reverse("inbox-read", args=[read.pk]) not in page


def test_it_shows_25_messages_a_page(clerk_client, clerk):
    make_messages(clerk, 30)

    first = clerk_client.get(reverse("inbox"))
    second = clerk_client.get(reverse("inbox"), {"page": 2})

    assert len(subjects(first)) == 25
    assert subjects(second) == [f"Message {n}" for n in range(4, -1, -1)]


def test_the_page_costs_the_same_queries_with_ten_times_as_many_messages(
    clerk_client, clerk, other_clerk, town
):
    make_messages(clerk, 5, town=town)
    make_messages(other_clerk, 5, town=town)
    with CaptureQueriesContext(connection) as few:
        clerk_client.get(reverse("inbox"))
    make_messages(clerk, 45, town=town)
    make_messages(other_clerk, 45, town=town)

    with CaptureQueriesContext(connection) as many:
        response = clerk_client.get(reverse("inbox"))

    assert len(response.context["inbox_messages"]) == 25
    assert len(many) == len(few)


def test_marking_a_message_read_records_when_and_returns_to_the_inbox(clerk_client, clerk):
    [message] = make_messages(clerk, 1)

    response = clerk_client.post(reverse("inbox-read", args=[message.pk]))

    message.refresh_from_db()
    assert message.read_at is not None
    assert response.status_code == 302
    assert response.url == reverse("inbox")


def test_marking_read_returns_to_the_page_the_user_was_on(clerk_client, clerk):
    [message] = make_messages(clerk, 1)

    response = clerk_client.post(reverse("inbox-read", args=[message.pk]), {"page": "2"})

    assert response.url == reverse("inbox") + "?page=2"


def test_marking_a_message_read_again_keeps_the_first_time(clerk_client, clerk):
    [message] = make_messages(clerk, 1)
    clerk_client.post(reverse("inbox-read", args=[message.pk]))
    message.refresh_from_db()
    first = message.read_at

    clerk_client.post(reverse("inbox-read", args=[message.pk]))

    message.refresh_from_db()
    assert message.read_at == first


def test_marking_read_with_htmx_returns_the_message_and_the_new_unread_count(clerk_client, clerk):
    first, _ = make_messages(clerk, 2)

    response = clerk_client.post(
        reverse("inbox-read", args=[first.pk]), headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert f'id="message-{first.pk}"' in content
    assert reverse("inbox-read", args=[first.pk]) not in content
    assert 'id="nav-badge-inbox" hx-swap-oob="true"' in content
    assert response.context["unread_count"] == 1


def test_another_users_message_answers_404_and_stays_unread(clerk_client, other_clerk):
    [message] = make_messages(other_clerk, 1)

    response = clerk_client.post(reverse("inbox-read", args=[message.pk]))

    message.refresh_from_db()
    assert response.status_code == 404
    assert message.read_at is None


def test_marking_read_needs_a_post(clerk_client, clerk):
    [message] = make_messages(clerk, 1)

    response = clerk_client.get(reverse("inbox-read", args=[message.pk]))

    message.refresh_from_db()
    assert response.status_code == 405
    assert message.read_at is None


def test_mark_all_read_marks_only_the_users_own_messages(clerk_client, clerk, other_clerk):
    make_messages(clerk, 3)
    make_messages(other_clerk, 2)

    response = clerk_client.post(reverse("inbox-read-all"), follow=True)

    assert not InboxMessage.objects.filter(user=clerk, read_at__isnull=True).exists()
    assert InboxMessage.objects.filter(user=other_clerk, read_at__isnull=True).count() == 2
    assert str(ALL_MARKED_READ) in [str(m) for m in response.context["messages"]]


def test_the_navigation_shows_my_messages_with_the_unread_count(clerk_client, clerk):
    make_messages(clerk, 2)
    make_messages(clerk, 1, read=True)

    response = clerk_client.get(reverse("home"))

    [item] = [item for item in response.context["nav_items"] if item["url"] == reverse("inbox")]
    assert item["badge"] == 2
    assert b'id="nav-badge-inbox">' in response.content


def test_the_unread_count_in_the_navigation_costs_one_query(clerk_client, clerk):
    make_messages(clerk, 2)

    with CaptureQueriesContext(connection) as queries:
        clerk_client.get(reverse("home"))

    inbox_queries = [q["sql"] for q in queries if "townadmin_inboxmessage" in q["sql"]]
    assert len(inbox_queries) == 1
    assert "COUNT(*)" in inbox_queries[0]
