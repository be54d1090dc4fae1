"""The powers admin shows the catalogue, register, versions and adjustments, and changes nothing."""

import pytest

from tests.powers.workflow import first_list

pytestmark = pytest.mark.django_db

MODELS = ("power", "devolution", "listversion", "adjustment")


@pytest.fixture
def v1(town_a, leader_a, reviewer):
    return first_list(town_a, leader_a, reviewer)


@pytest.mark.parametrize("model", MODELS)
def test_every_list_and_first_row_opens_read_only(admin_client, v1, model):
    changelist = admin_client.get(f"/admin/powers/{model}/")
    row = changelist.context["cl"].result_list[0]
    page = admin_client.get(f"/admin/powers/{model}/{row.pk}/change/")

    assert (changelist.status_code, page.status_code) == (200, 200)
    assert not page.context["has_change_permission"]
    assert admin_client.get(f"/admin/powers/{model}/add/").status_code == 403
