import io

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from townadmin.demo import DEMO_PASSWORD
from townadmin.models import Town, User

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_seed_demo_run_again_adds_nothing_to_any_table(demo_lists):
    from servicecenter.demo import seed_service_hall

    seed_service_hall()  # demo_lists stops at the powers; seed_demo goes on to the hall
    before = row_counts()

    call_command("seed_demo", stdout=io.StringIO())

    assert row_counts() == before


def test_seed_demo_loads_the_demo_towns(demo_data):
    codes = set(Town.objects.values_list("code", flat=True))

    assert codes == {"371122104", "371122105", "130926104", "130926105"}


def test_seed_demo_prints_each_login_with_its_password():
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    lines = out.getvalue().splitlines()
    for username in User.objects.values_list("username", flat=True):
        assert any(line.split()[:2] == [username, DEMO_PASSWORD] for line in lines), username


def test_seed_demo_keeps_a_password_that_was_changed_since(demo_data):
    admin = User.objects.get(username="admin")
    admin.set_password("Changed#Later-2026")
    admin.save()

    call_command("seed_demo", stdout=io.StringIO())

    assert User.objects.get(username="admin").check_password("Changed#Later-2026")


def test_seed_demo_refuses_to_create_known_passwords_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(ImproperlyConfigured):
        call_command("seed_demo", stdout=io.StringIO())

    assert not User.objects.exists()
    assert not Town.objects.exists()
