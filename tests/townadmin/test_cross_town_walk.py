"""The clerk of town B walks every API path against town A's objects and finds nothing.

Every path in the generated OpenAPI schema must be registered in ENDPOINTS below: how
to fill its path parameters with an object of town A (and, for writes to a collection,
a body that points at town A). A new endpoint fails this test until it is registered,
so no endpoint escapes the walk. Town A's objects carry names (甲镇, 甲镇东村, ...) that
must never show up in what the clerk of town B gets back.

Paths in PUBLIC serve published material to anyone (DESIGN.md section 3): it is not
town-scoped, so the walk registers them there instead; their tests show that they serve
only what is published (tests/powers/test_public_api.py).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from drf_spectacular.generators import SchemaGenerator

from servicecenter.services import application_intake
from tests.powers.workflow import walk_objects
from tests.servicecenter.factories import make_item, person
from townadmin.choices import DepartmentKind
from townadmin.models import Community, Department, Village

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Endpoint:
    """How to call one API path with town A's objects."""

    params: Callable = lambda a: {}  # path parameters, from town A's objects
    query: dict = field(default_factory=dict)  # query string of a GET
    body: Callable = lambda a: {}  # body of a write, pointing at town A where it can


# The workflow actions on an application, each with a body valid for some status.
HALL_ACTIONS = {
    "receive": {},
    "notify-missing": {"note": "补齐"},
    "resubmit": {"materials": []},
    "accept": {},
    "supply-pending": {"materials": []},
    "refuse": {"reason": "不符合条件"},
    "pause": {"step": "专家评审"},
    "resume": {},
    "request-extension": {"reason": "需现场核查"},
    "decide-extension": {"approve": True},
    "complete": {"decision": "denied", "reason": "不符合条件"},
    "deliver": {"method": "pickup"},
}

ENDPOINTS = {
    "/api/v1/auth/token/": Endpoint(body=lambda a: {"username": "clerk_a", "password": "x"}),
    "/api/v1/calendar/add-workdays/": Endpoint(query={"start": "2026-09-30", "days": "3"}),
    "/api/v1/calendar/workdays-between/": Endpoint(
        query={"start": "2026-09-30", "end": "2026-10-12"}
    ),
    "/api/v1/me/": Endpoint(),
    "/api/v1/towns/": Endpoint(),
    "/api/v1/towns/{code}/": Endpoint(params=lambda a: {"code": a.town.code}),
    "/api/v1/villages/": Endpoint(),
    "/api/v1/villages/{id}/": Endpoint(params=lambda a: {"id": a.village.pk}),
    "/api/v1/powers/catalogue/": Endpoint(),
    "/api/v1/powers/catalogue/{id}/": Endpoint(params=lambda a: {"id": _powers(a).power.pk}),
    "/api/v1/powers/register/": Endpoint(query={"town": "990100101"}),
    "/api/v1/powers/register/{id}/": Endpoint(params=lambda a: {"id": _powers(a).devolution.pk}),
    "/api/v1/powers/adjustments/": Endpoint(
        body=lambda a: {"town": a.town.code, "title": "清单调整"}
    ),
    "/api/v1/powers/adjustments/{id}/": Endpoint(params=lambda a: _adjustment(a)),
    "/api/v1/powers/adjustments/{id}/items/": Endpoint(
        params=lambda a: _adjustment(a),
        body=lambda a: {"action": "remove", "code": "XK-WALK-001", "reason": "取消"},
    ),
    "/api/v1/powers/adjustments/{id}/items/{item_id}/": Endpoint(
        params=lambda a: {**_adjustment(a), "item_id": _powers(a).item.pk}
    ),
    "/api/v1/powers/adjustments/{id}/submit/": Endpoint(params=lambda a: _adjustment(a)),
    "/api/v1/powers/adjustments/{id}/pass-legal-review/": Endpoint(
        params=lambda a: _adjustment(a), body=lambda a: {"opinion": "合法"}
    ),
    "/api/v1/powers/adjustments/{id}/return/": Endpoint(
        params=lambda a: _adjustment(a), body=lambda a: {"comments": "补充依据"}
    ),
    "/api/v1/powers/adjustments/{id}/revise/": Endpoint(params=lambda a: _adjustment(a)),
    "/api/v1/powers/adjustments/{id}/withdraw/": Endpoint(params=lambda a: _adjustment(a)),
    "/api/v1/powers/adjustments/{id}/approve/": Endpoint(
        params=lambda a: _adjustment(a), body=lambda a: {"document_no": "甲编办〔2026〕1号"}
    ),
    "/api/v1/applications/": Endpoint(body=lambda a: _intake(a)),
    "/api/v1/applications/{id}/": Endpoint(params=lambda a: _application(a)),
    **{
        f"/api/v1/applications/{{id}}/{verb}/": Endpoint(
            params=lambda a: _application(a), body=lambda a, body=body: body
        )
        for verb, body in HALL_ACTIONS.items()
    },
    "/api/v1/service-items/": Endpoint(),
    "/api/v1/service-items/{id}/": Endpoint(params=lambda a: {"id": _hall(a).service_item.pk}),
}


def _powers(a):
    """Town A's power, holding, draft adjustment and item, made when a path first needs them
    (the catalogue power comes from town A's office, whose name is a marker)."""
    if not hasattr(a, "adjustment"):
        a.power, a.devolution, a.adjustment, a.item = walk_objects(a.town, a.office)
    return a


def _adjustment(a):
    return {"id": _powers(a).adjustment.pk}


def _hall(a):
    """Town A's service item and an application taken for it, made when first needed."""
    if not hasattr(a, "application"):
        a.service_item = make_item(a.town)
        a.application, _created = application_intake(
            item=a.service_item, channel="window", applicant=person(), materials=[], actor=a.admin
        )
    return a


def _application(a):
    return {"id": _hall(a).application.pk}


def _intake(a):
    return {"service_item": _hall(a).service_item.pk, "channel": "window", "applicant": person()}


PUBLIC = {
    "/api/v1/public/towns/",
    "/api/v1/public/towns/{code}/powers/",
    "/api/v1/public/towns/{code}/powers/{entry_code}/",
    "/api/v1/public/towns/{code}/versions/",
    "/api/v1/public/towns/{code}/versions/{a}/diff/{b}/",
    "/api/v1/public/towns/{code}/services/",
    "/api/v1/public/applications/",
    "/api/v1/public/applications/{receipt_no}/",
    "/api/v1/public/applications/{receipt_no}/rating/",
}
# The public's own writes: an online pre-submission and a rating (with the receipt's code).
PUBLIC_WRITES = {
    "/api/v1/public/applications/": {"post"},
    "/api/v1/public/applications/{receipt_no}/rating/": {"post"},
}


@pytest.fixture
def town_a_objects(town_a, posting_admin):
    """One object of each kind the API serves, all in town A, with marker names."""
    community = Community.objects.create(town=town_a, name="甲镇东社区")
    return SimpleNamespace(
        admin=posting_admin,
        town=town_a,
        community=community,
        village=Village.objects.create(town=town_a, community=community, name="甲镇东村"),
        office=Department.objects.create(
            county=town_a.county,
            town=town_a,
            name="甲镇党政办公室",
            kind=DepartmentKind.TOWN_OFFICE,
        ),
    )


def markers(a):
    names = [a.town.code, a.town.name, a.community.name, a.village.name, a.office.name]
    escaped = [json.dumps(name)[1:-1] for name in names]  # as \\uXXXX in ASCII-only JSON
    return list(dict.fromkeys(names + escaped))


def api_paths(*, public=False):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: set(operations) & set(METHODS)
        for path, operations in schema["paths"].items()
        if (path in PUBLIC) == public
    }


def call(client, method, path, a):
    endpoint = ENDPOINTS[path]
    url = path.format(**endpoint.params(a))
    if method == "get":
        return client.get(url, endpoint.query)
    return getattr(client, method)(url, endpoint.body(a), format="json")


def leaks(response, a):
    content = response.content.decode()
    return [marker for marker in markers(a) if marker in content]


def test_every_api_path_is_registered_for_the_walk():
    unregistered = sorted(set(api_paths()) - set(ENDPOINTS))

    assert not unregistered, f"Register these API paths in ENDPOINTS of {__name__}: {unregistered}"


def test_every_public_path_is_in_the_schema_and_reads_only_but_the_publics_own_writes():
    public = api_paths(public=True)

    assert set(public) == PUBLIC
    assert all(methods == PUBLIC_WRITES.get(path, {"get"}) for path, methods in public.items())


def test_the_clerk_of_town_b_finds_nothing_of_town_a_on_any_api_path(
    api_client_as, clerk_b, town_a_objects
):
    client = api_client_as(clerk_b)
    problems = []
    for path, methods in sorted(api_paths().items()):
        if path not in ENDPOINTS:
            problems.append(f"{path}: not registered")
            continue
        has_params = "{" in path
        for method in METHODS:
            response = call(client, method, path, town_a_objects)
            status = response.status_code
            if method not in methods:
                expected = {403, 404, 405}
            elif has_params:
                expected = {403, 404}
            elif method == "get":
                expected = {200, 403}
            else:
                expected = {400, 403, 404}
            if status not in expected:
                problems.append(f"{method.upper()} {path}: {status}, expected one of {expected}")
            if found := leaks(response, town_a_objects):
                problems.append(f"{method.upper()} {path}: shows town A's {found}")

    assert not problems, "\n".join(problems)


def test_the_walk_would_see_a_leak_because_an_administrator_gets_town_a_objects(
    api_client_as, posting_admin, town_a_objects
):
    """The control: filled in for a superuser, every detail path answers 200 with town A's
    object, so a 404 for the clerk of town B means scoping, not a wrongly filled path."""
    client = api_client_as(posting_admin)
    problems = []
    for path, methods in sorted(api_paths().items()):
        if "{" not in path or "get" not in methods or path not in ENDPOINTS:
            continue
        response = call(client, "get", path, town_a_objects)
        if response.status_code != 200 or not leaks(response, town_a_objects):
            problems.append(f"GET {path}: {response.status_code} without town A's object")

    assert not problems, "\n".join(problems)
    lists = [client.get("/api/v1/towns/"), client.get("/api/v1/villages/")]
    assert all(leaks(response, town_a_objects) for response in lists)
