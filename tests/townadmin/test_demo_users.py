import pytest
from django.core.exceptions import ImproperlyConfigured

from townadmin import demo
from townadmin.models import EnforcementCertificate, Posting, User, VillageAgent
from townadmin.services import posting_end

pytestmark = pytest.mark.django_db

EXPECTED_TOWNS = {
    "admin": {"system_admin": []},
    "reviewer_juxian": {"reviewer": ["夏庄镇", "招贤镇"]},
    "reviewer_suning": {"reviewer": ["尚村镇", "梁家村镇"]},
    "clerk_xiazhuang": {"window_clerk": ["夏庄镇"]},
    "clerk_shangcun": {"window_clerk": ["尚村镇"]},
    "approver_xiazhuang": {"approver": ["夏庄镇"]},
    "approver_shangcun": {"approver": ["尚村镇"]},
    "agent_xiazhuang": {"village_agent": ["夏庄镇"]},
    "dispatcher_xiazhuang": {"dispatcher": ["夏庄镇"]},
    "officer_xiazhuang_1": {"officer": ["夏庄镇"]},
    "officer_xiazhuang_2": {"officer": ["夏庄镇"]},
    "grid_xiazhuang": {"grid_worker": ["夏庄镇"]},
    "leader_xiazhuang": {"town_leader": ["夏庄镇"]},
    "finance_juxian": {"finance_officer": ["夏庄镇", "招贤镇"]},
    "auditor": {"auditor": ["尚村镇", "梁家村镇", "夏庄镇", "招贤镇"]},
}


def test_the_demo_users_are_the_ones_the_issue_lists(demo_data):
    assert [username for username, _name in demo.seed_users()] == list(EXPECTED_TOWNS)


def test_every_demo_user_logs_in_with_the_demo_password_and_sees_only_their_towns(
    demo_data, api_client
):
    seen = {}
    for username in EXPECTED_TOWNS:
        response = api_client.post(
            "/api/v1/auth/token/",
            {"username": username, "password": demo.DEMO_PASSWORD},
            format="json",
        )
        assert response.status_code == 200, username
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        towns = api_client.get("/api/v1/me/").json()["towns"]
        seen[username] = {
            role: [town["name"] for town in role_towns] for role, role_towns in towns.items()
        }
        api_client.credentials()

    assert seen == EXPECTED_TOWNS


def test_every_demo_user_has_a_display_name_and_a_posting(
    demo_data,
):
    for user in User.objects.filter(username__in=EXPECTED_TOWNS):
        assert user.display_name, user.username
        assert Posting.objects.filter(user=user).exists(), user.username


def test_the_two_officers_hold_enforcement_certificates_and_the_agent_a_village(demo_data):
    holders = EnforcementCertificate.objects.values_list("user__username", flat=True)
    assert set(holders) >= {"officer_xiazhuang_1", "officer_xiazhuang_2"}
    agent = VillageAgent.objects.select_related("village__town").get(
        user__username="agent_xiazhuang"
    )
    assert agent.village.town.name == "夏庄镇"


def test_only_the_administrator_and_the_auditor_may_open_the_admin(demo_data):
    assert set(User.objects.filter(is_staff=True).values_list("username", flat=True)) == {
        "admin",
        "auditor",
    }


def test_a_demo_posting_an_administrator_ended_is_not_made_again(demo_data):
    admin = User.objects.get(username="admin")
    posting = Posting.objects.get(user__username="clerk_xiazhuang")
    posting_end(posting=posting, actor=admin)

    demo.seed_users()

    assert Posting.objects.filter(user__username="clerk_xiazhuang").count() == 1


def test_seed_users_refuses_a_demo_password_that_breaks_the_password_rules(demo_data, monkeypatch):
    monkeypatch.setattr(demo, "DEMO_PASSWORD", "password")

    with pytest.raises(ImproperlyConfigured, match="DEMO_PASSWORD"):
        demo.seed_users()


def test_seed_users_asks_for_the_demo_organisation_first(db):
    with pytest.raises(ImproperlyConfigured, match="seed_org"):
        demo.seed_users()
