"""Intake benchmark (issue #5): the intake API's requests per second against a bare view
that does one INSERT of the same application.

Builds, in a database of its own (``townadmin_bench_intake``): one county and one town,
a licence the town holds (乡村建设规划许可证核发) with the demo's guide for it (five
materials, one obtained from another system), a window clerk posted there through
``posting_create`` with an API token, and ``--rows`` earlier applications of the town
(SQL, ``generate_series``), so that every insert maintains indexes of a busy hall's size.

Then measures, in one run and through the WSGI app in process (``django.test.Client``,
every middleware included, for both sides alike), alternating the two:

- ours: ``POST /api/v1/applications/`` with the issue's body (``service_item``,
  ``channel`` "window", every material the applicant brings, a person applicant with a
  valid resident identity number, a different one each time), token authentication and
  a fresh ``Idempotency-Key``: the request a window client sends, answered 201;
- the floor: ``POST /bench/bare/`` with the same JSON body to a plain Django view of this
  script (csrf-exempt, no authentication, no validation) that inserts one
  ``servicecenter_application`` row with the same values through
  ``Application.objects.create`` (one INSERT ... RETURNING) and answers its id.

Each request commits on its own (autocommit, as in production). Prints
``ratio intake_vs_bare_insert X goal>=0.5`` (X = our requests per second / the floor's),
both request rates and the statements each request sends. For reading the figure, not
as a goal, it also times the same INSERT behind DRF with the intake's token
authentication and permission (``/bench/drf/``): what the framework costs, and so what
the hall's own code does. With ``--profile N``: the statements of one intake request and
the cProfile of N of them.

Run: ``.venv/bin/python bench/intake.py`` (``--help`` for sizes).
"""

import argparse
import cProfile
import datetime
import itertools
import json
import pstats
import uuid

import _common as bench

DATABASE = "townadmin_bench_intake"
COUNTY, TOWN = "371122", "371122104"
ITEM_NAME = "乡村建设规划许可证核发"
URL, BARE_URL, FRAMEWORK_URL = "/api/v1/applications/", "/bench/bare/", "/bench/drf/"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="applications loaded first")
    parser.add_argument("--repeat", type=int, default=500, help="timed requests per side")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per side")
    parser.add_argument("--profile", type=int, default=0, help="intake requests to profile")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    return parser.parse_args()


# --- Data --------------------------------------------------------------------------------


def build_hall():
    """The town, its licence with the demo guide, and a clerk's API token (ORM: small)."""
    from rest_framework.authtoken.models import Token

    from powers.choices import Category, DevolutionMode
    from powers.models import Power
    from powers.services.register import register
    from servicecenter.choices import Channel
    from servicecenter.demo.guides import guide_for
    from servicecenter.models import Material, ServiceItem
    from townadmin.choices import DepartmentKind, Role
    from townadmin.models import County, Department, Town, User
    from townadmin.roles import sync_roles
    from townadmin.services import posting_create

    sync_roles()
    county = County.objects.create(code=COUNTY, name="莒县", province="山东省", city="日照市")
    town = Town.objects.create(county=county, code=TOWN, name="夏庄镇")
    department = Department.objects.create(
        county=county, name="莒县行政审批服务局", kind=DepartmentKind.COUNTY_DEPARTMENT
    )
    centre = Department.objects.create(
        county=county, town=town, name="夏庄镇便民服务中心", kind=DepartmentKind.TOWN_OFFICE
    )
    power = Power.objects.create(
        county=county,
        code="XK-371122-SP-001-01",
        name=ITEM_NAME,
        category=Category.LICENCE,
        department=department,
        applies_on_application=True,
        statutory_days=20,
        promised_days=10,
    )
    register(
        town=town,
        power=power,
        mode=DevolutionMode.ASSIGN,
        exercised_in_name_of="夏庄镇人民政府",
        effective_from=datetime.date(2016, 3, 1),
        document_no="莒政发〔2016〕9号",
    )
    item = ServiceItem.objects.create(
        town=town,
        power=power,
        code=power.code,
        name=ITEM_NAME,
        category=Category.LICENCE,
        exercised_in_name_of="夏庄镇人民政府",
        statutory_days=20,
        promised_days=10,
        channels=[Channel.WINDOW, Channel.ONLINE, Channel.AGENT],
    )
    Material.objects.bulk_create(
        Material(
            item=item,
            position=position,
            name=m.name,
            form=m.form,
            required=m.required,
            may_be_pending=m.pending,
            shared_from=m.shared,
        )
        for position, m in enumerate(guide_for(ITEM_NAME, Category.LICENCE).materials, start=1)
    )
    admin = User.objects.create_superuser(username="bench_admin", password=None)
    clerk = User.objects.create_user(username="bench_clerk", display_name="基准窗口")
    posting_create(
        user=clerk,
        department=centre,
        role=Role.WINDOW_CLERK,
        valid_from=datetime.date(2026, 1, 1),
        actor=admin,
    )
    return item, Token.objects.create(user=clerk).key


COMPLETED = ("approved", "denied", "delivered")


def load_applications(item, rows):
    """``rows`` earlier applications of the town, copies of one made through the ORM with
    their receipt number, status and times varied (SQL)."""
    from django.utils import timezone

    from servicecenter.models import Application

    template = Application.objects.create(
        town_id=item.town_id,
        item=item,
        receipt_no="TEMPLATE",
        verification_code="000000",
        channel="window",
        status="received",
        status_since=timezone.now(),
        applicant_type="person",
        applicant_name="模板",
        applicant_id_number="371122199001011234",
    )
    varied = {"receipt_no", "status", "status_since", "received_at", "decision", "id"}
    columns = [
        field.column for field in Application._meta.concrete_fields if field.column not in varied
    ]
    copied = ", ".join(f"t.{column}" for column in columns)
    bench.sql(
        f"""
        INSERT INTO servicecenter_application
            ({", ".join(columns)}, receipt_no, status, status_since, received_at, decision)
        SELECT {copied}, 'PRE-' || lpad(g::text, 9, '0'), s.status,
               now() - g * interval '1 minute', now() - g * interval '1 minute',
               CASE WHEN s.status IN {COMPLETED} THEN 'approved' ELSE '' END
        FROM servicecenter_application t
        CROSS JOIN generate_series(1, %s) g
        CROSS JOIN LATERAL (SELECT (ARRAY['delivered', 'delivered', 'approved', 'accepted',
            'received', 'refused'])[1 + g %% 6] AS status) s
        WHERE t.id = %s
        """,
        [rows, template.pk],
    )
    bench.sql("VACUUM (ANALYZE) servicecenter_application")


# --- The two sides -------------------------------------------------------------------------


def insert(body):
    """One INSERT of an application with the intake's values (Application.objects.create)."""
    from django.utils import timezone

    from servicecenter.models import Application

    applicant, now = body["applicant"], timezone.now()
    return Application.objects.create(
        town_id=BARE["town_id"],
        item_id=body["service_item"],
        receipt_no=f"BARE-{next(BARE['numbers']):09d}",
        verification_code="000000",
        channel=body["channel"],
        status="received",
        status_since=now,
        applicant_type=applicant["type"],
        applicant_name=applicant["name"],
        applicant_id_number=applicant["id_number"],
        applicant_phone=applicant["phone"],
        received_at=now,
        visits=1,
    )


def bare_view(request):
    """The floor: parse the body, one INSERT with the intake's values, the id back."""
    from django.http import JsonResponse

    return JsonResponse({"id": insert(json.loads(request.body)).pk}, status=201)


def framework_view():
    """For reading the figure, not a goal: the same INSERT behind DRF with the intake's
    token authentication and permission, so the framework's share of a request shows."""
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.decorators import api_view, authentication_classes, permission_classes
    from rest_framework.permissions import IsAuthenticated
    from rest_framework.response import Response

    @api_view(["POST"])
    @authentication_classes([TokenAuthentication])
    @permission_classes([IsAuthenticated])
    def view(request):
        return Response({"id": insert(request.data).pk}, status=201)

    return view


BARE = {"numbers": itertools.count(1)}


def mount_bare(item):
    """Serve the bare view beside the project's URLs, through the same middleware."""
    import sys
    import types

    from django.conf import settings
    from django.urls import include, path
    from django.views.decorators.csrf import csrf_exempt

    BARE["town_id"] = item.town_id
    urls = types.ModuleType("bench_intake_urls")
    urls.urlpatterns = [
        path(BARE_URL.strip("/") + "/", csrf_exempt(bare_view)),
        path(FRAMEWORK_URL.strip("/") + "/", framework_view()),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__


def bodies(item, count):
    """The issue's intake body, a different applicant each time."""
    from townadmin.demo_people import fictional_residents

    materials = [m.pk for m in item.materials.all() if not m.shared_from]
    people = fictional_residents(COUNTY, count, seed="bench-intake")
    return [
        json.dumps(
            {
                "service_item": item.pk,
                "channel": "window",
                "materials": materials,
                "applicant": {
                    "type": "person",
                    "name": person.name,
                    "id_number": person.identity_number,
                    "phone": f"138{index:08d}",
                },
            },
            ensure_ascii=False,
        )
        for index, person in enumerate(people)
    ]


def measure(item, token, args):
    from django.test import Client

    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    payloads = bodies(item, 2 * (args.repeat + args.warmup) + args.profile + 2)
    state = {"i": 0}

    def body():
        state["i"] += 1
        return payloads[state["i"] % len(payloads)]

    def ours():
        response = client.post(
            URL,
            body(),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
            **auth,
        )
        assert response.status_code == 201, (response.status_code, response.content[:300])

    def bare():
        response = client.post(BARE_URL, body(), content_type="application/json")
        assert response.status_code == 201, (response.status_code, response.content[:300])

    def framework():
        response = client.post(FRAMEWORK_URL, body(), content_type="application/json", **auth)
        assert response.status_code == 201, (response.status_code, response.content[:300])

    cold = len(queries_of(ours))
    ours_time, floor_time = bench.compare(ours, bare, repeat=args.repeat, warmup=args.warmup)
    bench.note(
        f"statements per request: intake {len(queries_of(ours))} ({cold} on the process's "
        f"first request of the clerk: reach and permissions), bare {len(queries_of(bare))}"
    )
    bench.note(f"intake API {1 / ours_time:.1f} requests/s, bare INSERT {1 / floor_time:.1f}")
    bench.medians("intake API request", ours_time, "bare INSERT request", floor_time)
    bench.ratio("intake_vs_bare_insert", floor_time / ours_time, "goal>=0.5")
    drf_time, floor_time = bench.compare(framework, bare, repeat=args.repeat // 2, warmup=10)
    bench.note(
        f"for reading: the INSERT behind DRF with token auth {1 / drf_time:.1f} requests/s, "
        f"{floor_time / drf_time:.2f} of the bare view's; the intake is "
        f"{drf_time / ours_time:.2f} of it ({len(queries_of(framework))} queries)"
    )
    if args.profile:
        profile(ours, args.profile)


def queries_of(request):
    """The SQL statements one call of ``request`` sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        request()
    return queries.captured_queries


def profile(ours, count):
    """The statements of one intake request, then the cProfile of ``count`` of them."""
    for query in queries_of(ours):
        bench.note(f"  {query['time']} s  {' '.join(query['sql'].split())[:150]}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        ours()
    profiler.disable()
    stats = pstats.Stats(profiler)
    bench.note(f"cProfile of {count} intake requests: our code by cumulative time")
    stats.sort_stats("cumulative").print_stats(r"(servicecenter|townadmin|powers)/", 30)
    bench.note("the same requests: everything by own time")
    stats.sort_stats("tottime").print_stats(20)


def main():
    args = parse_args()
    bench.setup(DATABASE)
    try:
        with bench.timed("town, licence, guide, clerk"):
            item, token = build_hall()
        with bench.timed(f"{args.rows} earlier applications"):
            load_applications(item, args.rows)
        mount_bare(item)
        measure(item, token, args)
    finally:
        bench.teardown(keep=args.keep)


if __name__ == "__main__":
    main()
