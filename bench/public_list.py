"""Public list benchmark (issue #4): a province of published lists, read by the public.

Builds, with SQL in a database of its own (``townadmin_bench``): 90 counties of 15 towns
(1,350 towns, about a province), each county a catalogue of 200 powers, each town one
published version of 150 entries (202,500 list entries). Names, legal bases and
responsibility items come from the demo lists (``powers.demo_catalogue``), with the
suffixes real catalogues give variants (新办, 变更, 简易程序 ...); search words are
segmented once per distinct name with ``powers.search.index_words`` and reused.

Then measures, in one run and through the WSGI app in process (``django.test.Client``,
all middleware included, for our path and for the floor alike):

- ``public_list_vs_values_floor``: the public list API page against a bare view that
  finds the town's current version and returns the same page's fields with
  ``.values()`` (floor time / our time: 1 means as fast as the floor, higher is better);
- ``public_list_uncached_vs_values_floor``: the same on a cold page cache (each timed
  request reads a town nobody has read yet), so the cached figure is read honestly;
- ``conditional_get_vs_values_floor``: the same request repeated with If-None-Match,
  answered 304, against the same floor (floor / ours: above 1 means a revalidation costs
  less than the cheapest full answer, which is what a 304 is for);
- ``search_vs_exact_1x`` / ``_10x``: ``powers.search.search(entries(version), "建房")``
  in one town's current version (the first page, best first, as the API returns it)
  against an exact code lookup in the same ``entries(version)`` (the
  ``(version_id, code)`` btree), at 1x and
  at 10x entries: nine earlier versions per town added (2,025,000 entries), because a
  province keeps its lists' history rather than growing tenfold in towns. Search time /
  exact time: lower is better.
- ``search_vs_exact_province_*``: the same over every town's current version. There is
  no btree on the code alone (the product looks codes up within a version), so the
  planner serves this exact lookup with the trigram GIN index; read it with its plan.

The entries are loaded with the table's secondary indexes and constraints dropped and
rebuilt afterwards (``_common.bulk_load``): the schema ends as migrated. A run takes
about seven minutes on two shared cores, most of it loading the 10x entries.

Run: ``.venv/bin/python bench/public_list.py`` (``--help`` for sizes). Prints the
``ratio`` lines and the plans of the queries (EXPLAIN ANALYZE, BUFFERS).
"""

import argparse
import json
import random

import _common as bench

DATABASE = "townadmin_bench"
SEARCH = "建房"
COUNTY_POWERS = 200
# Variants of a power as catalogues publish them (子项): a procedure or a stage.
SUFFIXES = {
    "licence": ("", "（新办）", "（变更）", "（延续）", "（注销）"),
    "penalty": ("", "（一般程序）", "（简易程序）", "（首次轻微违法）", "（情节严重）"),
    "coercion": ("", "（查封）", "（扣押）", "（当场实施）", "（延长期限）"),
    "inspection": ("", "（日常检查）", "（专项检查）", "（双随机抽查）", "（投诉核查）"),
}
DEFAULT_SUFFIXES = ("", "（首次申请）", "（变更）", "（补办）", "（网上办理）")
COUNTY_FIRST = "东西南北平安永清和宁新长金石柳桃"
COUNTY_SECOND = "阳城山河丰乐"
TOWN_FIRST = "王李张刘陈杨赵黄周吴徐孙马朱胡"
TOWN_SECOND = "庄集店屯营桥寨堡"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=90, help="counties of 15 towns each")
    parser.add_argument("--entries", type=int, default=150, help="entries per town version")
    parser.add_argument("--history", type=int, default=9, help="versions added for 10x")
    parser.add_argument("--repeat", type=int, default=300, help="timed calls per figure")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    return parser.parse_args()


# --- Data --------------------------------------------------------------------------------


def _department_names():
    """Department key -> name without the county (the city branch named generically)."""
    from powers.demo_catalogue import JUXIAN_DEPARTMENTS, SUNING_DEPARTMENTS

    names = {}
    for county, departments in (("肃宁县", SUNING_DEPARTMENTS), ("莒县", JUXIAN_DEPARTMENTS)):
        for key, name in departments.items():
            names[key] = name.removeprefix(county) if name.startswith(county) else "生态环境分局"
    return names


def _templates():
    """One row per distinct entry text: a demo power with one of its category's suffixes.

    The town's, county's and city's names become placeholders, filled per town in SQL.
    """
    from django.utils import translation

    from powers.choices import Category
    from powers.demo_catalogue import TOWN_POWERS, TOWNS, XIAZHUANG_POWERS_2025
    from powers.search import index_words

    with translation.override("zh-hans"):
        labels = {category: str(category.label) for category in Category}

    key_of = {}
    for town in TOWNS.values():
        key_of.update({name: key for key, name in town.departments.items()})
    records, seen = [], set()
    town_records = [(TOWNS[code], rows) for code, rows in TOWN_POWERS.items()]
    town_records.append((TOWNS["371122104"], XIAZHUANG_POWERS_2025))
    for town, rows in town_records:
        for record in rows:
            if record.name not in seen:
                seen.add(record.name)
                records.append((town, record))

    def generic(text, town):
        return (
            text.replace(town.government, "{town}人民政府")
            .replace(town.city, "{city}")
            .replace(town.county, "{county}")
            .replace(town.area_code, "{area}")
        )

    rows = []
    for town, r in records:
        for suffix in SUFFIXES.get(r.category, DEFAULT_SUFFIXES):
            name = r.name + suffix
            rows.append(
                (
                    len(rows),
                    name,
                    r.category,
                    key_of[r.department],
                    r.mode,
                    r.responsible_office,
                    generic(
                        json.dumps([b._asdict() for b in r.legal_bases], ensure_ascii=False), town
                    ),
                    generic(
                        json.dumps(
                            [i._asdict() for i in r.responsibility_items], ensure_ascii=False
                        ),
                        town,
                    ),
                    json.dumps([{"text": c} for c in r.accountability_cases], ensure_ascii=False),
                    generic(r.supervision_channel, town),
                    generic(r.remedy_channel, town),
                    r.fees,
                    r.applies,
                    r.statutory_days,
                    r.promised_days,
                    # As publication indexes an entry, less its code and department
                    # (added per county in SQL).
                    index_words(name, labels[r.category], r.responsible_office),
                )
            )
    return rows


def _coprime_step(size):
    step = 7
    while size % step == 0 or size % 2 == 0 and step % 2 == 0:
        step += 1
    return step


def build_geography(counties):
    """Counties of 15 towns, each with the 20 county departments lists name (ORM: small)."""
    from townadmin.choices import DepartmentKind
    from townadmin.models import County, Department, Town, User

    names = [a + b for a in COUNTY_FIRST for b in COUNTY_SECOND]
    town_names = [a + b for a in TOWN_FIRST for b in TOWN_SECOND]
    rows = County.objects.bulk_create(
        County(
            code=f"98{index + 1:04d}",
            name=f"{names[index]}县",
            province="示范省",
            city=f"{names[index // 6 * 6][0]}州市",
        )
        for index in range(counties)
    )
    towns = []
    for index, county in enumerate(rows):
        picked = random.Random(index).sample(town_names, 15)
        towns += [
            Town(county=county, code=f"{county.code}{101 + k}", name=f"{name}镇")
            for k, name in enumerate(picked)
        ]
    Town.objects.bulk_create(towns)
    departments = sorted(set(_department_names().values()))
    Department.objects.bulk_create(
        Department(county=county, name=county.name + name, kind=DepartmentKind.COUNTY_DEPARTMENT)
        for county in rows
        for name in departments
    )
    return User.objects.create_user(username="bench_reviewer", display_name="基准审核人")


TEMPLATE_TABLE = """
CREATE TABLE bench_template (
    id integer PRIMARY KEY, name text, category text, dept text, mode text, office text,
    legal_bases text, responsibility_items text, accountability_cases jsonb,
    supervision text, remedy text, fees text, applies boolean, statutory smallint,
    promised smallint, words text, prefix text, dept_name text)
"""

# The town's, county's and city's names in a template's text.
FILL = (
    "replace(replace(replace(replace({}, '{{town}}', tw.name), '{{county}}', c.name), "
    "'{{city}}', c.city), '{{area}}', '0' || substr(c.code, 3, 3))"
)


def build_catalogue(templates):
    """bench_template (Python rows), then 200 catalogue powers per county (SQL)."""
    from django.db import connection

    from powers.demo_catalogue.base import CODE_PREFIX
    from powers.search import index_words
    from townadmin.models import Department

    departments = _department_names()
    bench.sql(TEMPLATE_TABLE)
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_template VALUES (" + ", ".join(["%s"] * 18) + ")",
            [(*row, CODE_PREFIX[row[2]], departments[row[3]]) for row in templates],
        )
        # A department's words differ per county (its name starts with the county's).
        cursor.execute("CREATE TABLE bench_department_words (id bigint PRIMARY KEY, words text)")
        cursor.executemany(
            "INSERT INTO bench_department_words VALUES (%s, %s)",
            [
                (pk, index_words(name))
                for pk, name in Department.objects.filter(town=None).values_list("pk", "name")
            ],
        )
    size, step = len(templates), _coprime_step(len(templates))
    bench.sql(
        f"""
        CREATE TABLE bench_catalogue AS
        SELECT c.id AS county_id, j, (c.idx * 211 + j * {step}) % {size} AS template_id,
               t.prefix || '-' || c.code || '-' || t.dept || '-' || lpad(t.id::text, 4, '0')
                   AS code
        FROM (SELECT id, code, row_number() OVER (ORDER BY code) - 1 AS idx
              FROM townadmin_county) c
        CROSS JOIN generate_series(0, {COUNTY_POWERS - 1}) j
        JOIN bench_template t ON t.id = (c.idx * 211 + j * {step}) % {size};
        ALTER TABLE bench_catalogue ADD PRIMARY KEY (county_id, j);
        CREATE TABLE bench_town AS
        SELECT id AS town_id, county_id,
               row_number() OVER (PARTITION BY county_id ORDER BY code) - 1 AS k
        FROM townadmin_town;
        ALTER TABLE bench_town ADD PRIMARY KEY (town_id);
        ANALYZE bench_template, bench_department_words, bench_catalogue, bench_town,
            townadmin_county, townadmin_town, townadmin_department;
        """
    )
    tw_free = FILL.replace("tw.name", "''")
    bench.sql(
        f"""
        INSERT INTO powers_power (county_id, code, name, category, department_id,
            implementing_body, may_devolve, fees, supervision_channel, remedy_channel,
            applies_on_application, statutory_days, promised_days, notes)
        SELECT c.id, b.code, t.name, t.category, d.id, d.name, true, t.fees,
               {tw_free.format("t.supervision")}, {tw_free.format("t.remedy")},
               t.applies, t.statutory, t.promised, ''
        FROM bench_catalogue b
        JOIN townadmin_county c ON c.id = b.county_id
        JOIN bench_template t ON t.id = b.template_id
        JOIN townadmin_department d
            ON d.county_id = c.id AND d.town_id IS NULL AND d.name = c.name || t.dept_name
        ORDER BY c.id, b.j;
        ALTER TABLE bench_catalogue ADD COLUMN power_id bigint;
        UPDATE bench_catalogue b SET power_id = p.id
        FROM powers_power p WHERE p.county_id = b.county_id AND p.code = b.code;
        ANALYZE bench_catalogue, powers_power;
        """
    )


# Entry j of the county catalogue at position ``pos`` of version ``number`` of town k:
# neighbouring towns and successive versions hold overlapping, shifted selections.
PICK = f"(bt.k * 13 + {{number}} * 3 + pos - 1) % {COUNTY_POWERS}"


def publish_versions(first, last, entries, approver):
    """Versions ``first``..``last`` of every town, each of ``entries`` entries (SQL)."""
    pick = PICK.format(number="n")
    bench.sql(
        f"""
        INSERT INTO powers_listversion (town_id, number, published_at, approved_by_id,
            document_no, summary, entry_count, category_counts)
        SELECT bt.town_id, n,
               timestamptz '2016-03-01 10:00+08' + (n - 1) * interval '1 year'
                   + bt.k * interval '1 day',
               {approver.pk},
               c.name || '编办发〔' || (2015 + n) || '〕' || (bt.k + 1) || '号',
               '', {entries}, counts.value
        FROM bench_town bt
        JOIN townadmin_county c ON c.id = bt.county_id
        CROSS JOIN generate_series({first}, {last}) n
        CROSS JOIN LATERAL (
            SELECT jsonb_object_agg(category, total) AS value
            FROM (SELECT t.category, count(*) AS total
                  FROM generate_series(1, {entries}) pos
                  JOIN bench_catalogue b ON b.county_id = bt.county_id AND b.j = {pick}
                  JOIN bench_template t ON t.id = b.template_id
                  GROUP BY t.category) per_category
        ) counts
        ORDER BY n, bt.town_id
        """
    )
    with bench.bulk_load("powers_listentry"):
        _insert_entries(first, last, entries)
    bench.sql("VACUUM (ANALYZE) powers_listversion")


def _insert_entries(first, last, entries):
    # Filled in per row from the small template tables, which stay in memory: copying
    # pre-rendered rows from a table as large as the entries was twice as slow.
    in_town = "CASE WHEN t.mode = 'entrust' THEN d.name ELSE tw.name || '人民政府' END"
    bench.sql(
        f"""
        INSERT INTO powers_listentry (version_id, town_id, power_id, position, code, name,
            category, department_name, parent_code, mode, exercised_in_name_of,
            implementing_body, responsible_office, legal_bases, responsibility_items,
            accountability_cases, supervision_channel, remedy_channel, fees,
            applies_on_application, statutory_days, promised_days, search_words)
        SELECT v.id, v.town_id, b.power_id, pos, b.code, t.name, t.category, d.name, '',
               t.mode, {in_town}, {in_town}, t.office,
               ({FILL.format("t.legal_bases")})::jsonb,
               ({FILL.format("t.responsibility_items")})::jsonb,
               t.accountability_cases, {FILL.format("t.supervision")},
               {FILL.format("t.remedy")}, t.fees, t.applies, t.statutory, t.promised,
               lower(b.code) || ' ' || replace(lower(b.code), '-', ' ') || ' ' || t.words
                   || ' ' || dw.words
        FROM powers_listversion v
        JOIN bench_town bt ON bt.town_id = v.town_id
        JOIN townadmin_town tw ON tw.id = v.town_id
        JOIN townadmin_county c ON c.id = tw.county_id
        CROSS JOIN generate_series(1, {entries}) pos
        JOIN bench_catalogue b ON b.county_id = bt.county_id
            AND b.j = {PICK.format(number="v.number")}
        JOIN bench_template t ON t.id = b.template_id
        JOIN powers_power p ON p.id = b.power_id
        JOIN townadmin_department d ON d.id = p.department_id
        JOIN bench_department_words dw ON dw.id = d.id
        WHERE v.number BETWEEN {first} AND {last}
        ORDER BY v.id, pos
        """
    )


# --- Measurements ------------------------------------------------------------------------

PAGE = 2


def floor_view(request, code):
    """The least a page of a town's current list can cost: its version's id and size in
    one query, the page's fields with ``.values()`` in another, JsonResponse."""
    from django.http import JsonResponse

    from powers.api.public_serializers import ROW_COLUMNS  # the floor selects what a page shows
    from powers.models import ListEntry, ListVersion

    version = (
        ListVersion.objects.filter(town__code=code)
        .order_by("-number")
        .values("pk", "entry_count")
        .first()
    )
    size = _page_size()
    number = int(request.GET.get("page", 1))
    rows = ListEntry.objects.filter(version=version["pk"]).order_by("position")
    page = rows.values(*ROW_COLUMNS)[(number - 1) * size : number * size]
    return JsonResponse({"count": version["entry_count"], "results": list(page)})


def _page_size():
    from django.conf import settings

    return settings.REST_FRAMEWORK["PAGE_SIZE"]


def mount_floor():
    """Serve the floor view beside the project's URLs, through the same middleware."""
    import sys
    import types

    from django.conf import settings
    from django.urls import include, path

    urls = types.ModuleType("bench_public_list_urls")
    urls.urlpatterns = [
        path("bench/floor/<str:code>/", floor_view),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__


class PublicClient:
    """A test Client whose requests come from a pool of addresses, as the public's do:
    the API's per-address throttle then does its real work without refusing the run."""

    def __init__(self):
        from django.test import Client

        self.client = Client()
        self.calls = 0

    def get(self, url, **headers):
        self.calls += 1
        address = f"10.{self.calls // 65536 % 256}.{self.calls // 256 % 256}.{self.calls % 256}"
        return self.client.get(url, REMOTE_ADDR=address, **headers)


def measure_list(codes, repeat):
    client = PublicClient()
    api = [f"/api/v1/public/towns/{code}/powers/?page={PAGE}" for code in codes]
    floor = [f"/bench/floor/{code}/?page={PAGE}" for code in codes]
    ours_json = client.get(api[0]).json()
    floor_json = client.get(floor[0]).json()
    assert [r["code"] for r in ours_json["results"]] == [r["code"] for r in floor_json["results"]]
    assert ours_json["count"] == floor_json["count"]
    state = {"i": 0}

    def ours():
        state["i"] += 1
        response = client.get(api[state["i"] % len(api)])
        assert response.status_code == 200, response.status_code

    def bare():
        response = client.get(floor[state["i"] % len(floor)])
        assert response.status_code == 200, response.status_code

    ours_time, floor_time = bench.compare(ours, bare, repeat=repeat)
    bench.medians("public list API page", ours_time, "values() floor", floor_time)
    bench.ratio("public_list_vs_values_floor", floor_time / ours_time, "goal>=0.8")

    etags = [client.get(url)["ETag"] for url in api]
    state["i"] = 0

    def revalidate():
        state["i"] += 1
        index = state["i"] % len(api)
        response = client.get(api[index], HTTP_IF_NONE_MATCH=etags[index])
        assert response.status_code == 304, response.status_code

    ours_time, floor_time = bench.compare(revalidate, bare, repeat=repeat)
    bench.medians("conditional GET (304)", ours_time, "values() floor", floor_time)
    bench.ratio("conditional_get_vs_values_floor", floor_time / ours_time, "goal>=1")


WARMUP = 20


def measure_list_uncached(codes, repeat):
    """The public list page on a cold page cache: each timed request reads a town whose
    page nobody has read yet, so the API builds it from the database (and caches it).
    The floor reads every town once before timing, so that both sides find the entries
    in PostgreSQL's buffers alike."""
    client = PublicClient()
    api = [f"/api/v1/public/towns/{code}/powers/?page={PAGE}" for code in codes]
    floor = [f"/bench/floor/{code}/?page={PAGE}" for code in codes]
    assert len(codes) >= repeat + WARMUP, "every timed request must read a fresh town"
    for url in floor:
        client.get(url)
    state = {"i": -1}

    def ours():
        state["i"] += 1
        response = client.get(api[state["i"]])
        assert response.status_code == 200, response.status_code

    def bare():
        response = client.get(floor[state["i"]])
        assert response.status_code == 200, response.status_code

    ours_time, floor_time = bench.compare(ours, bare, repeat=repeat, warmup=WARMUP)
    bench.medians("public list API page, uncached", ours_time, "values() floor", floor_time)
    bench.ratio("public_list_uncached_vs_values_floor", floor_time / ours_time, "goal>=0.5")


def measure_search(label, towns, repeat, *, show_plans):
    """Search for SEARCH against an exact code lookup, in one town's current version and
    over every town's current version."""
    from powers.lists import current_versions, entries
    from powers.models import ListEntry
    from powers.search import search

    size = _page_size()
    # The current versions' ids, found once, so that both sides filter by the same list.
    current = list(current_versions().values_list("pk", flat=True))
    # Towns whose current list holds the word, so that both sides return rows.
    versions = dict(
        search(ListEntry.objects.filter(version__in=current), SEARCH)
        .order_by()
        .values_list("town__code", "version")
        .distinct()
    )
    versions = {code: versions[code] for code in towns if code in versions} or versions
    codes = {
        code: ListEntry.objects.filter(version=version)
        .order_by("position")
        .values_list("code", flat=True)[75]
        for code, version in versions.items()
    }
    sample = list(versions)

    def exact(**lookup):
        # Ordered by the list's columns: ListEntry's default ordering follows "version"
        # into ListVersion's and Town's orderings, which joins both tables.
        return ListEntry.objects.filter(**lookup).order_by("version_id", "position")

    state = {"i": 0}

    def town():
        state["i"] += 1
        return sample[state["i"] % len(sample)]

    def search_town():
        found = list(search(entries(versions[town()]), SEARCH)[:size])
        assert found

    def exact_town():
        code = sample[state["i"] % len(sample)]
        assert list(entries(versions[code]).filter(code=codes[code]))

    def search_province():
        assert list(search(ListEntry.objects.filter(version__in=current), SEARCH)[:size])

    def exact_province():
        code = town()
        assert list(exact(version__in=current, code=codes[code]))

    ours, floor = bench.compare(search_town, exact_town, repeat=repeat)
    bench.medians(f"search in a town at {label}", ours, "exact code lookup", floor)
    bench.ratio(f"search_vs_exact_{label}", ours / floor, "goal<=2")
    ours, floor = bench.compare(search_province, exact_province, repeat=repeat)
    bench.medians(f"search in the province at {label}", ours, "exact code lookup", floor)
    bench.ratio(f"search_vs_exact_province_{label}", ours / floor, "goal<=2")
    if show_plans:
        first = sample[0]
        bench.explain(
            f"search {SEARCH!r}, one town, {label}",
            search(entries(versions[first]), SEARCH)[:size],
        )
        bench.explain(
            f"exact code, one town, {label}",
            entries(versions[first]).filter(code=codes[first]),
        )
        bench.explain(
            f"search {SEARCH!r}, province, {label}",
            search(ListEntry.objects.filter(version__in=current), SEARCH)[:size],
        )
        bench.explain(
            f"exact code, province, {label}",
            exact(version__in=current, code=codes[first]),
        )


def main():
    args = parse_args()
    bench.setup(DATABASE)
    try:
        with bench.timed("geography"):
            approver = build_geography(args.counties)
        with bench.timed("templates (jieba once per distinct name)"):
            templates = _templates()
        with bench.timed("catalogue"):
            build_catalogue(templates)
        with bench.timed(f"versions at 1x ({args.entries} entries per town)"):
            publish_versions(1, 1, args.entries, approver)
        bench.note(f"{bench.sql('SELECT count(*) FROM powers_listentry')[0][0]} list entries")
        from townadmin.models import Town

        towns = list(Town.objects.order_by("?").values_list("code", flat=True)[:100])
        mount_floor()
        measure_list(towns, args.repeat)
        fresh = Town.objects.exclude(code__in=towns).order_by("?")
        measure_list_uncached(
            list(fresh.values_list("code", flat=True)[: args.repeat + WARMUP]), args.repeat
        )
        measure_search("1x", towns, args.repeat, show_plans=True)
        if not args.history:
            return
        with bench.timed(f"versions 2..{args.history + 1} (10x)"):
            publish_versions(2, args.history + 1, args.entries, approver)
        bench.note(f"{bench.sql('SELECT count(*) FROM powers_listentry')[0][0]} list entries")
        measure_search("10x", towns, args.repeat, show_plans=True)
    finally:
        bench.teardown(keep=args.keep)


if __name__ == "__main__":
    main()
