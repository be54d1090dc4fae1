import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from tests.townadmin.test_settings import manage
from townadmin.demo import DEMO_PASSWORD
from townadmin.password_validation import TOO_FEW_CHARACTER_CLASSES

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def user(django_user_model, persona_password):
    return django_user_model.objects.create_user("xiaoli", password=persona_password)


def log_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def fail(client, username, times):
    for _ in range(times):
        log_in(client, username, "not-the-password")


def login_errors(response):
    return (response.status_code, list(response.context["form"].non_field_errors()))


def signed_in(client):
    return "_auth_user_id" in client.session


def age_attempts(minutes):
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=minutes))


# --- Lockout ----------------------------------------------------------------------


def test_five_failed_logins_lock_the_username_even_for_the_right_password(
    client, user, persona_password
):
    fail(client, "xiaoli", 5)

    response = log_in(client, "xiaoli", persona_password)

    assert response.status_code == 200
    assert not signed_in(client)


def test_four_failed_logins_do_not_lock(client, user, persona_password):
    fail(client, "xiaoli", 4)

    assert log_in(client, "xiaoli", persona_password).status_code == 302
    assert signed_in(client)


def test_a_locked_account_looks_exactly_like_a_wrong_password(client, user, persona_password):
    wrong = login_errors(log_in(client, "xiaoli", "not-the-password"))
    fail(client, "xiaoli", 4)

    locked = login_errors(log_in(client, "xiaoli", persona_password))

    assert locked == wrong
    assert locked[1]  # the ordinary "enter a correct username and password" error


def test_an_unknown_username_gets_the_same_answer_as_a_known_one(client, user):
    known = login_errors(log_in(client, "xiaoli", "not-the-password"))

    unknown = login_errors(log_in(client, "nobody-here", "not-the-password"))

    assert unknown == known


def test_an_unknown_username_locked_out_still_gets_the_same_answer(client, user):
    known = login_errors(log_in(client, "xiaoli", "not-the-password"))
    fail(client, "nobody-here", 5)

    assert login_errors(log_in(client, "nobody-here", "not-the-password")) == known


def test_the_lock_is_per_username_so_other_users_still_sign_in(
    client, user, django_user_model, persona_password
):
    django_user_model.objects.create_user("xiaowang", password=persona_password)
    fail(client, "xiaoli", 5)

    assert log_in(client, "xiaowang", persona_password).status_code == 302


def test_a_successful_login_starts_the_count_again(client, user, persona_password):
    fail(client, "xiaoli", 4)
    log_in(client, "xiaoli", persona_password)
    client.post("/accounts/logout/")
    fail(client, "xiaoli", 4)

    assert log_in(client, "xiaoli", persona_password).status_code == 302


def test_the_lock_still_holds_twenty_nine_minutes_later(client, user, persona_password):
    fail(client, "xiaoli", 5)
    age_attempts(29)

    assert log_in(client, "xiaoli", persona_password).status_code == 200
    assert not signed_in(client)


def test_the_lock_ends_thirty_minutes_after_the_last_failure(client, user, persona_password):
    fail(client, "xiaoli", 5)
    age_attempts(31)

    assert log_in(client, "xiaoli", persona_password).status_code == 302
    assert signed_in(client)


def test_attempts_during_the_lock_do_not_extend_it(client, user, persona_password):
    fail(client, "xiaoli", 5)
    age_attempts(20)
    fail(client, "xiaoli", 3)  # still locked: these are refused without being counted
    age_attempts(31)

    assert log_in(client, "xiaoli", persona_password).status_code == 302


def test_the_login_page_states_the_lockout_rule(client):
    with override("en"):
        content = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "After 5 failed attempts in a row" in content
    assert "blocked for 30 minutes" in content


# --- The API token endpoint ---------------------------------------------------------


def token(api_client, username, password):
    return api_client.post(TOKEN, {"username": username, "password": password}, format="json")


def test_failed_token_requests_lock_the_username_with_the_ordinary_error(
    api_client, user, persona_password
):
    wrong = token(api_client, "xiaoli", "not-the-password")
    for _ in range(4):
        token(api_client, "xiaoli", "not-the-password")

    locked = token(api_client, "xiaoli", persona_password)

    assert (locked.status_code, locked.json()) == (wrong.status_code, wrong.json())
    assert "token" not in locked.json()


def test_failures_on_the_page_and_the_api_add_up(client, api_client, user, persona_password):
    fail(client, "xiaoli", 3)
    token(api_client, "xiaoli", "not-the-password")
    token(api_client, "xiaoli", "not-the-password")

    assert token(api_client, "xiaoli", persona_password).status_code == 400
    assert log_in(client, "xiaoli", persona_password).status_code == 200


# --- Password rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["Short#1a", "onlylowercaseletters", "lowercase123456", "UPPERandlower"],
)
def test_a_password_that_is_short_or_mixes_fewer_than_three_kinds_is_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(
    "password", ["Town2026hall", "town-hall-2026", "TOWN#HALL#2026", DEMO_PASSWORD]
)
def test_a_password_of_ten_characters_and_three_kinds_is_accepted(password):
    validate_password(password)


def test_letters_without_case_such_as_chinese_count_as_symbols():
    validate_password("夏庄镇便民服务abc12")


def test_too_few_kinds_of_characters_is_explained_in_the_users_language():
    with pytest.raises(ValidationError) as error:
        validate_password("lowercase123456")

    with override("en"):
        assert error.value.messages == [str(TOO_FEW_CHARACTER_CLASSES % {"min_classes": 3})]
        assert "at least 3 of the four kinds" in error.value.messages[0]


def test_the_rules_are_listed_in_the_password_help():
    with override("en"):
        help_texts = " ".join(password_validators_help_texts())

    assert "at least 10 characters" in help_texts
    assert "at least 3 of the four kinds of characters" in help_texts


# --- Idle session timeout -----------------------------------------------------------


def set_idle(client, minutes):
    """Make the session look as if its last request was ``minutes`` ago."""
    last_request = timezone.now() - datetime.timedelta(minutes=minutes)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=last_request + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )


def test_the_idle_timeout_is_thirty_minutes_by_default():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_a_session_idle_longer_than_the_timeout_is_signed_out(client_as, clerk_a):
    client = client_as(clerk_a)
    set_idle(client, 31)

    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_a_session_in_use_stays_signed_in_and_its_expiry_moves_on(client_as, clerk_a):
    client = client_as(clerk_a)
    set_idle(client, 29)

    assert client.get("/api/v1/me/").status_code == 200
    expiry = Session.objects.get(session_key=client.session.session_key).expire_date
    assert expiry > timezone.now() + datetime.timedelta(minutes=29)


# --- Settings from the environment --------------------------------------------------

PRINT_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()), "
    "s.AXES_LOCKOUT_PARAMETERS, s.SESSION_COOKIE_AGE, s.AUTH_PASSWORD_VALIDATORS[1]['OPTIONS'], "
    "s.AUTH_PASSWORD_VALIDATORS[2]['OPTIONS'])"
)


def test_the_login_rules_are_read_from_the_environment():
    result = manage(
        "shell",
        "-c",
        PRINT_SETTINGS,
        LOGIN_FAILURE_LIMIT="3",
        LOGIN_LOCKOUT_MINUTES="60",
        LOGIN_LOCKOUT_BY="username_and_ip",
        SESSION_IDLE_TIMEOUT_MINUTES="15",
        PASSWORD_MIN_LENGTH="12",
        PASSWORD_MIN_CHARACTER_CLASSES="4",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == (
        "3 3600 [['username', 'ip_address']] 900 {'min_length': 12} {'min_classes': 4}"
    )


def test_an_unknown_lockout_mode_stops_the_start():
    result = manage("check", LOGIN_LOCKOUT_BY="ip_address")

    assert result.returncode != 0
    assert "LOGIN_LOCKOUT_BY must be one of" in result.stderr
