"""Security events: sign-ins, sign-outs, failed sign-ins and revealed identity numbers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from townadmin.audit import REASON_REQUIRED, reveal_identity_number
from townadmin.models import EnforcementCertificate, User
from townadmin.models.audit import SecurityEvent

pytestmark = pytest.mark.django_db

PASSWORD = "Window@2026town"
# TEST-NET-1 (RFC 5737): documentation addresses, never routed.
CLIENT = {"REMOTE_ADDR": "192.0.2.10", "HTTP_USER_AGENT": "Mozilla/5.0 (Windows NT 10.0)"}


@pytest.fixture
def clerk():
    return User.objects.create_user("clerk_xiazhuang", password=PASSWORD)


def sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password}, **CLIENT)


def test_a_login_is_recorded_with_the_address_and_browser(client, clerk):
    sign_in(client, "clerk_xiazhuang", PASSWORD)

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN)
    assert (event.user, event.username) == (clerk, "clerk_xiazhuang")
    assert (event.ip_address, event.user_agent) == ("192.0.2.10", "Mozilla/5.0 (Windows NT 10.0)")


def test_a_logout_is_recorded(client, clerk):
    client.force_login(clerk)

    client.post("/accounts/logout/", **CLIENT)

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGOUT)
    assert (event.user, event.ip_address) == (clerk, "192.0.2.10")


def test_a_failed_login_is_recorded_against_the_account(client, clerk):
    sign_in(client, "clerk_xiazhuang", "wrong password")

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert (event.user, event.username, event.ip_address) == (
        clerk,
        "clerk_xiazhuang",
        "192.0.2.10",
    )


def test_a_failed_login_for_an_unknown_user_is_recorded(client):
    sign_in(client, "no_such_clerk", "anything")

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert (event.user, event.username) == (None, "no_such_clerk")


def test_a_failed_login_never_stores_the_password(client, clerk):
    sign_in(client, "clerk_xiazhuang", "Secret-typed-by-mistake")

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert "Secret-typed-by-mistake" not in str(event.payload) + event.reason


@pytest.fixture
def certificate(clerk):
    # The service hall's applicant (with the resident ID) is not built yet; the reveal
    # works the same on any model's field, here an officer's certificate number.
    return EnforcementCertificate.objects.create(
        user=clerk,
        number="37112220260001",
        issuing_body="莒县人民政府",
        valid_until=datetime.date(2028, 12, 31),
    )


def test_revealing_an_identity_number_is_recorded_with_its_reason(clerk, certificate):
    request = RequestFactory().get("/", **CLIENT)

    number = reveal_identity_number(
        actor=clerk, obj=certificate, field="number", reason="核对申请人身份", request=request
    )

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.IDENTITY_REVEALED)
    assert number == "37112220260001"
    assert (event.user, event.obj, event.reason) == (clerk, certificate, "核对申请人身份")
    assert (event.payload, event.ip_address) == ({"field": "number"}, "192.0.2.10")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_revealing_an_identity_number_without_a_reason_is_refused(clerk, certificate, reason):
    with pytest.raises(ValidationError) as refused:
        reveal_identity_number(actor=clerk, obj=certificate, field="number", reason=reason)

    assert refused.value.messages == [str(REASON_REQUIRED)]
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.IDENTITY_REVEALED).exists()


def test_security_events_are_chained_like_the_other_audit_tables(client, clerk):
    sign_in(client, "clerk_xiazhuang", "wrong password")
    sign_in(client, "clerk_xiazhuang", PASSWORD)

    first, second = SecurityEvent.objects.order_by("chain_seq")
    assert second.prev_hash == first.row_hash != ""


def test_behind_a_trusted_proxy_the_address_the_proxy_saw_is_recorded(client, clerk, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The first entry came from the client and is forged; nginx appended the second.
    forwarded = {"HTTP_X_FORWARDED_FOR": "203.0.113.66, 198.51.100.7"}

    client.post(
        "/accounts/login/",
        {"username": "clerk_xiazhuang", "password": PASSWORD},
        **CLIENT,
        **forwarded,
    )

    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN).ip_address == "198.51.100.7"


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(client, clerk, settings):
    settings.TRUSTED_PROXY_COUNT = 0

    client.post(
        "/accounts/login/",
        {"username": "clerk_xiazhuang", "password": PASSWORD},
        **CLIENT,
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )

    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN).ip_address == "192.0.2.10"


def test_a_malformed_forwarded_header_falls_back_to_the_peer_address(client, clerk, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    sign_in_response = client.post(
        "/accounts/login/",
        {"username": "clerk_xiazhuang", "password": PASSWORD},
        **CLIENT,
        HTTP_X_FORWARDED_FOR="not-an-address",
    )

    assert sign_in_response.status_code == 302
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN).ip_address == "192.0.2.10"
