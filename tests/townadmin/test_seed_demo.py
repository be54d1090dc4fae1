import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from townadmin.demo import DEMO_PASSWORD
from townadmin.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_run_twice_creates_each_demo_account_once():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    assert User.objects.filter(username="admin").count() == 1


def test_seed_demo_prints_the_demo_logins():
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    assert f"admin        {DEMO_PASSWORD}" in out.getvalue()


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
