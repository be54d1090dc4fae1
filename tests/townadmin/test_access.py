import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404, JsonResponse
from django.urls import path
from django.views.generic import DetailView, ListView, UpdateView
from guardian.shortcuts import assign_perm

from townadmin import access
from townadmin.access import ScopedQuerySet, TownScopedMixin, require_reach, scope, towns_for
from townadmin.choices import Role
from townadmin.models import County, Town, Village

pytestmark = pytest.mark.django_db

HANDLE = "townadmin.handle_application"
APPROVE = "townadmin.approve_application"
VIEW = "townadmin.view_records"


@pytest.fixture
def somebody(django_user_model):
    return django_user_model.objects.create_user("somebody")


def fresh(user):
    """The same user as a new request would load it: nothing cached."""
    return type(user).objects.get(pk=user.pk)


def test_a_user_reaches_a_town_granted_to_them(somebody, town_a, town_b):
    assign_perm(HANDLE, somebody, town_a)

    assert towns_for(fresh(somebody), HANDLE) == {town_a.pk}


def test_a_user_reaches_a_town_granted_to_their_group(somebody, town_a, town_b):
    group = Group.objects.create(name="xiazhuang window")
    somebody.groups.add(group)
    assign_perm(HANDLE, group, town_a)

    assert towns_for(fresh(somebody), HANDLE) == {town_a.pk}


def test_a_county_grant_reaches_every_town_of_the_county_including_later_ones(
    somebody, county_a, town_a, town_b, town_elsewhere
):
    assign_perm("townadmin.review_reform", somebody, county_a)
    later = Town.objects.create(county=county_a, code="990100103", name="丁镇")

    assert towns_for(fresh(somebody), "townadmin.review_reform") == {
        town_a.pk,
        town_b.pk,
        later.pk,
    }


def test_a_county_grant_to_a_group_reaches_the_county_towns(somebody, county_a, town_a):
    group = Group.objects.create(name="county reviewers")
    somebody.groups.add(group)
    assign_perm(VIEW, group, county_a)

    assert towns_for(fresh(somebody), VIEW) == {town_a.pk}


def test_reach_for_one_permission_gives_nothing_for_another(clerk_a, town_a):
    assert towns_for(fresh(clerk_a), HANDLE) == {town_a.pk}
    assert towns_for(fresh(clerk_a), APPROVE) == frozenset()


def test_a_superuser_reaches_every_town(admin_user, town_a, town_b, town_elsewhere):
    assert towns_for(admin_user, APPROVE) == {town_a.pk, town_b.pk, town_elsewhere.pk}


def test_an_anonymous_user_reaches_nothing(town_a, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert towns_for(AnonymousUser(), VIEW) == frozenset()


def test_an_inactive_user_reaches_nothing(clerk_a):
    clerk_a.is_active = False
    clerk_a.save()

    assert towns_for(fresh(clerk_a), HANDLE) == frozenset()


def test_the_answer_costs_one_query_and_asking_again_costs_none(clerk_a, django_assert_num_queries):
    user = fresh(clerk_a)

    with django_assert_num_queries(1):
        towns_for(user, HANDLE)
    with django_assert_num_queries(0):
        towns_for(user, HANDLE)
        towns_for(user, VIEW)
        towns_for(user, APPROVE)


def test_the_query_count_does_not_grow_with_the_towns_reached(
    somebody, county_a, django_assert_num_queries
):
    for number in range(20):
        Town.objects.create(county=county_a, code=f"9901002{number:02d}", name=f"镇{number}")
    assign_perm(VIEW, somebody, county_a)
    assign_perm(VIEW, somebody, Town.objects.first())
    user = fresh(somebody)

    with django_assert_num_queries(1):
        assert len(towns_for(user, VIEW)) == 20


def test_forget_drops_the_cached_answer(somebody, town_a):
    towns_for(somebody, HANDLE)
    assign_perm(HANDLE, somebody, town_a)

    access.forget(somebody)

    assert towns_for(somebody, HANDLE) == {town_a.pk}


def test_a_misspelt_permission_is_refused_rather_than_scoping_to_nothing(clerk_a):
    with pytest.raises(ValueError, match="handle_aplication"):
        towns_for(clerk_a, "townadmin.handle_aplication")
    with pytest.raises(ValueError):
        towns_for(clerk_a, "handle_application")


def test_scope_keeps_only_rows_of_reached_towns(clerk_a, town_a, town_b):
    mine = Village.objects.create(town=town_a, name="甲村")
    Village.objects.create(town=town_b, name="乙村")

    assert list(scope(Village.objects.all(), fresh(clerk_a), HANDLE)) == [mine]


def test_scope_follows_a_lookup_path_to_the_town(clerk_a, town_a, town_b):
    assert list(scope(Town.objects.all(), fresh(clerk_a), HANDLE, town_field="pk")) == [town_a]
    assert list(scope(County.objects.all(), fresh(clerk_a), HANDLE, town_field="towns")) == [
        town_a.county
    ]


def test_scope_for_a_user_without_reach_does_not_query_the_rows(
    clerk_a, town_a, django_assert_num_queries
):
    user = fresh(clerk_a)
    towns_for(user, HANDLE)

    with django_assert_num_queries(0):
        assert list(scope(Village.objects.all(), user, APPROVE)) == []


def test_scope_lets_a_superuser_see_every_row(admin_user, town_a, town_b):
    Village.objects.create(town=town_a, name="甲村")
    Village.objects.create(town=town_b, name="乙村")

    assert scope(Village.objects.all(), admin_user, APPROVE).count() == 2


def test_a_scoped_queryset_filters_by_its_town_field(clerk_a, town_a, town_b):
    mine = Village.objects.create(town=town_a, name="甲村")
    Village.objects.create(town=town_b, name="乙村")

    assert list(ScopedQuerySet(Village).for_user(fresh(clerk_a), HANDLE)) == [mine]


def test_require_reach_raises_404_outside_reach_and_passes_inside(clerk_a, town_a, town_b):
    require_reach(clerk_a, HANDLE, town_a)
    require_reach(clerk_a, HANDLE, town_a.pk)
    with pytest.raises(Http404):
        require_reach(clerk_a, HANDLE, town_b)
    with pytest.raises(Http404):
        require_reach(clerk_a, HANDLE, None)


def test_towns_by_role_lists_for_each_role_the_towns_where_it_holds_all_its_reach(
    somebody, town_a, town_b
):
    somebody.groups.add(
        Group.objects.get(name=Role.WINDOW_CLERK), Group.objects.get(name=Role.APPROVER)
    )
    assign_perm(VIEW, somebody, town_a)
    assign_perm(HANDLE, somebody, town_a)
    assign_perm(VIEW, somebody, town_b)
    assign_perm(APPROVE, somebody, town_b)

    assert access.towns_by_role(fresh(somebody)) == {
        Role.WINDOW_CLERK: [town_a],
        Role.APPROVER: [town_b],
    }


def test_towns_by_role_maps_a_role_without_reach_to_no_town(somebody, town_a):
    somebody.groups.add(Group.objects.get(name=Role.SYSTEM_ADMIN))

    assert access.towns_by_role(fresh(somebody)) == {Role.SYSTEM_ADMIN: []}


# --- The HTML mixin, on views of villages --------------------------------------------


def names(context):
    return JsonResponse({"names": [village.name for village in context["object_list"]]})


class VillageList(TownScopedMixin, ListView):
    model = Village
    reach_permission = VIEW

    def render_to_response(self, context, **kwargs):
        return names(context)


class VillageDetail(TownScopedMixin, DetailView):
    model = Village
    reach_permission = VIEW

    def render_to_response(self, context, **kwargs):
        return JsonResponse({"name": context["object"].name})


class VillageEdit(TownScopedMixin, UpdateView):
    model = Village
    fields = ["name", "town"]
    reach_permission = VIEW
    write_reach_permission = HANDLE
    success_url = "/"


urlpatterns = [
    path("villages/", VillageList.as_view()),
    path("villages/<int:pk>/", VillageDetail.as_view()),
    path("villages/<int:pk>/edit/", VillageEdit.as_view()),
]


@pytest.fixture
def villages(town_a, town_b):
    return Village.objects.create(town=town_a, name="甲村"), Village.objects.create(
        town=town_b, name="乙村"
    )


@pytest.mark.urls(__name__)
def test_the_html_list_shows_only_rows_in_reach(client_as, clerk_a, villages):
    assert client_as(clerk_a).get("/villages/").json() == {"names": ["甲村"]}


@pytest.mark.urls(__name__)
def test_the_html_detail_of_a_row_outside_reach_is_404(client_as, clerk_a, villages):
    client = client_as(clerk_a)

    assert client.get(f"/villages/{villages[0].pk}/").status_code == 200
    assert client.get(f"/villages/{villages[1].pk}/").status_code == 404


@pytest.mark.urls(__name__)
def test_an_html_edit_moving_a_row_out_of_reach_is_404_and_saves_nothing(
    client_as, clerk_a, villages, town_b
):
    mine = villages[0]

    response = client_as(clerk_a).post(
        f"/villages/{mine.pk}/edit/", {"name": "改名村", "town": town_b.pk}
    )

    assert response.status_code == 404
    mine.refresh_from_db()
    assert (mine.name, mine.town_id) == ("甲村", villages[0].town_id)


@pytest.mark.urls(__name__)
def test_an_html_edit_inside_reach_is_saved(client_as, clerk_a, villages, town_a):
    response = client_as(clerk_a).post(
        f"/villages/{villages[0].pk}/edit/", {"name": "改名村", "town": town_a.pk}
    )

    assert response.status_code == 302
    assert Village.objects.get(pk=villages[0].pk).name == "改名村"
