"""Demo data of the two pilot towns' published power lists (pure data, no Django).

A seed command loads these constants; nothing here touches the database.

Top-level constants
    ``SHANGCUN_POWERS``   尚村镇 (town code 130926104), the 133 powers of seed 001:
                          penalty 45, public service 40, licence 21, other 10,
                          confirmation 10, inspection 5, coercion 2.
    ``XIAZHUANG_POWERS``  夏庄镇 (town code 371122104), the list of seed 000: 76 powers
                          from 15 county departments, published as 138 rows
                          (76 main items + 62 sub-items; see ``xiazhuang``).
    ``ADJUSTMENT_XIAZHUANG_2025``  the 2025 adjustment (3 added, 2 removed, 2 changed),
                          with ``ADJUSTMENT_XIAZHUANG_2025_DOCUMENT`` and ``..._EFFECTIVE``;
                          ``XIAZHUANG_POWERS_2025`` is the list after it.
    ``SUNING_COUNTY_CATALOGUE``, ``JU_COUNTY_CATALOGUE``  county catalogues: the towns'
                          powers (may_devolve=True) plus powers the county keeps.
    ``TOWNS``, ``TOWN_POWERS``  the two towns and their lists, keyed by town code.
    ``CATEGORIES``, ``MODES``  stable category and devolution-mode codes with labels.

Record fields (``PowerRecord``)
    code, name, category, department (source county department), legal_bases
    (``LegalBasis(law, article, excerpt)``; article "" when only the source is cited),
    implementing_body (the department for entrusted powers, else the town government),
    responsible_office (a town office of ``townadmin.demo_org.TOWN_OFFICES``), mode,
    responsibility_items (``ResponsibilityItem(name, content)``, 3-6 each),
    accountability_cases, supervision_channel, remedy_channel, fees, applies (a citizen
    applies: the service hall derives a service item), statutory_days (None where no
    law sets one), promised_days (0 = instant item), day_type, time_limit_basis,
    parent_code (sub-items only), note.

Codes: ``<category prefix>-<county code>-<department key>-<sequence>``, e.g.
``XK-371122-SP-001``; sub-items append ``-01``; powers the county keeps are numbered
from 101. Sequences follow the order of the specs, so new specs are appended.

What is real and what is illustrative: the counts come from the seeds; power names,
departments and legal bases are real Chinese law (articles checked, see ``laws``);
which powers each town actually received, the time limits promised, the town offices
and the adjustment document are plausible demo choices, not the published lists.
"""

import re
from collections import Counter

from powers.demo_catalogue.base import (
    CATEGORIES,
    CODE_PREFIX,
    ENTRUST,
    LICENCE,
    MODES,
    PUBLIC_SERVICE,
    Adjustment,
    CatalogueItem,
    LegalBasis,
    PowerRecord,
    ResponsibilityItem,
    Town,
    apply_adjustment,
)
from powers.demo_catalogue.counties import JU_COUNTY_CATALOGUE, SUNING_COUNTY_CATALOGUE
from powers.demo_catalogue.shangcun import SHANGCUN, SHANGCUN_POWERS, SUNING_DEPARTMENTS
from powers.demo_catalogue.xiazhuang import (
    ADJUSTMENT_XIAZHUANG_2025,
    ADJUSTMENT_XIAZHUANG_2025_DOCUMENT,
    ADJUSTMENT_XIAZHUANG_2025_EFFECTIVE,
    JUXIAN_DEPARTMENTS,
    XIAZHUANG,
    XIAZHUANG_POWERS,
)

__all__ = [
    "ADJUSTMENT_XIAZHUANG_2025",
    "ADJUSTMENT_XIAZHUANG_2025_DOCUMENT",
    "ADJUSTMENT_XIAZHUANG_2025_EFFECTIVE",
    "CATEGORIES",
    "JUXIAN_DEPARTMENTS",
    "JU_COUNTY_CATALOGUE",
    "MODES",
    "SHANGCUN",
    "SHANGCUN_POWERS",
    "SUNING_COUNTY_CATALOGUE",
    "SUNING_DEPARTMENTS",
    "TOWNS",
    "TOWN_POWERS",
    "XIAZHUANG",
    "XIAZHUANG_POWERS",
    "XIAZHUANG_POWERS_2025",
    "Adjustment",
    "CatalogueItem",
    "LegalBasis",
    "PowerRecord",
    "ResponsibilityItem",
    "Town",
    "apply_adjustment",
    "category_counts",
    "check",
]

XIAZHUANG_POWERS_2025 = apply_adjustment(XIAZHUANG_POWERS, ADJUSTMENT_XIAZHUANG_2025)

TOWNS = {SHANGCUN.code: SHANGCUN, XIAZHUANG.code: XIAZHUANG}
TOWN_POWERS = {SHANGCUN.code: SHANGCUN_POWERS, XIAZHUANG.code: XIAZHUANG_POWERS}

# The figures the seeds state, which the demo data must reproduce exactly.
SHANGCUN_EXPECTED = {
    "penalty": 45,
    "public_service": 40,
    "licence": 21,
    "other": 10,
    "confirmation": 10,
    "inspection": 5,
    "coercion": 2,
}
XIAZHUANG_MAIN_ITEMS = 76
XIAZHUANG_SUB_ITEMS = 62
XIAZHUANG_DEPARTMENT_COUNT = 15

_CHINESE_NUMBER = "[一二三四五六七八九十百零]+"
_ARTICLE = rf"第{_CHINESE_NUMBER}条(第{_CHINESE_NUMBER}款)?(第{_CHINESE_NUMBER}项)?"


def category_counts(town_code: str, *, include_sub_items: bool = True) -> dict[str, int]:
    """Number of powers per category code in a town's list (main items only if asked)."""
    rows = TOWN_POWERS[town_code]
    return dict(Counter(r.category for r in rows if include_sub_items or not r.parent_code))


# Field lengths of powers.models (PowerListEntry, Power, LegalBasis rows).
_MAX_LENGTH = {
    "code": 48,
    "name": 200,
    "department": 64,
    "implementing_body": 100,
    "responsible_office": 64,
    "supervision_channel": 300,
    "remedy_channel": 300,
    "fees": 300,
}


def _check_rows(rows: tuple[PowerRecord, ...], town: Town) -> None:
    codes = [r.code for r in rows]
    assert len(codes) == len(set(codes)), f"{town.name}: duplicate codes"
    by_code = {r.code: r for r in rows}
    for r in rows:
        assert r.category in CATEGORIES, r.code
        assert r.mode in MODES, r.code
        assert r.code.startswith(f"{CODE_PREFIX[r.category]}-{town.county_code}-"), r.code
        assert r.department in town.departments.values(), r.code
        assert r.name and r.legal_bases, r.code
        for field, limit in _MAX_LENGTH.items():
            assert len(getattr(r, field)) <= limit, (r.code, field)
        assert all(len(i.name) <= 100 for i in r.responsibility_items), r.code
        for basis in r.legal_bases:
            assert basis.law.startswith("《") and basis.law.endswith("》"), (r.code, basis)
            assert basis.excerpt, (r.code, basis)
            assert not basis.article or re.fullmatch(_ARTICLE, basis.article), (r.code, basis)
        assert 3 <= len(r.responsibility_items) <= 6, r.code
        assert r.accountability_cases and r.supervision_channel and r.remedy_channel, r.code
        expected_body = r.department if r.mode == ENTRUST else town.government
        assert r.implementing_body == expected_body, r.code
        # 行政强制法第十七条: coercive measures cannot be entrusted.
        assert not (r.category == "coercion" and r.mode == ENTRUST), r.code
        if r.applies:
            assert r.promised_days is not None, r.code
        if r.statutory_days is not None:
            assert r.promised_days is not None and r.promised_days <= r.statutory_days, r.code
        if r.category == LICENCE:
            assert r.applies and r.promised_days is not None, r.code
        if r.parent_code:
            parent = by_code.get(r.parent_code)
            assert parent is not None and not parent.parent_code, r.code
            assert r.code.startswith(f"{parent.code}-"), r.code
            assert (r.category, r.department, r.mode) == (
                parent.category,
                parent.department,
                parent.mode,
            ), r.code


def _check_catalogue(
    catalogue: tuple[CatalogueItem, ...], held: tuple[PowerRecord, ...], county_code: str
) -> None:
    codes = [c.code for c in catalogue]
    assert len(codes) == len(set(codes)), f"{county_code}: duplicate catalogue codes"
    devolvable = {c.code for c in catalogue if c.may_devolve}
    assert {r.code for r in held} <= devolvable, county_code
    kept = [c for c in catalogue if not c.may_devolve]
    assert len(kept) >= 10, county_code
    for c in catalogue:
        assert c.category in CATEGORIES and c.legal_bases, c.code
        assert c.code.split("-")[1] == county_code, c.code
        assert not c.parent_code or c.parent_code in codes, c.code


def _check_adjustment() -> None:
    actions = Counter(a.action for a in ADJUSTMENT_XIAZHUANG_2025)
    assert actions == {"add": 3, "remove": 2, "change": 2}, actions
    listed = {r.code: r for r in XIAZHUANG_POWERS}
    catalogue = {c.code for c in JU_COUNTY_CATALOGUE}
    for a in ADJUSTMENT_XIAZHUANG_2025:
        assert a.reason and a.document == ADJUSTMENT_XIAZHUANG_2025_DOCUMENT, a.code
        assert a.code in catalogue, a.code
        if a.action == "add":
            assert a.record is not None and a.record.code == a.code, a.code
            assert a.code not in listed, a.code
        else:
            assert listed[a.code].name == a.name and not listed[a.code].parent_code, a.code
        if a.action == "change":
            fields = set(PowerRecord.__dataclass_fields__)
            assert a.changes and {f for f, _ in a.changes} <= fields, a.code
    removed_rows = sum(
        1
        for r in XIAZHUANG_POWERS
        if any(
            a.action == "remove" and a.code in (r.code, r.parent_code)
            for a in ADJUSTMENT_XIAZHUANG_2025
        )
    )
    expected = len(XIAZHUANG_POWERS) - removed_rows + actions["add"]
    assert len(XIAZHUANG_POWERS_2025) == expected, len(XIAZHUANG_POWERS_2025)
    _check_rows(XIAZHUANG_POWERS_2025, XIAZHUANG)


def check() -> dict[str, object]:
    """Assert the seeds' figures and the list rules; return a summary for the report."""
    assert len(SHANGCUN_POWERS) == sum(SHANGCUN_EXPECTED.values()) == 133
    assert category_counts(SHANGCUN.code) == SHANGCUN_EXPECTED, category_counts(SHANGCUN.code)
    assert not any(r.parent_code for r in SHANGCUN_POWERS)

    main = [r for r in XIAZHUANG_POWERS if not r.parent_code]
    subs = [r for r in XIAZHUANG_POWERS if r.parent_code]
    assert len(main) == XIAZHUANG_MAIN_ITEMS, len(main)
    assert len(subs) == XIAZHUANG_SUB_ITEMS, len(subs)
    assert len(XIAZHUANG_POWERS) == 138
    assert len({r.department for r in main}) == XIAZHUANG_DEPARTMENT_COUNT
    assert all(
        2 <= sum(s.parent_code == m.code for s in subs) <= 4
        for m in main
        if any(s.parent_code == m.code for s in subs)
    )

    for town_code, rows in TOWN_POWERS.items():
        _check_rows(rows, TOWNS[town_code])
    public = [r for r in SHANGCUN_POWERS if r.category == PUBLIC_SERVICE]
    assert sum(r.applies for r in public) >= 30
    _check_catalogue(SUNING_COUNTY_CATALOGUE, SHANGCUN_POWERS, SHANGCUN.county_code)
    _check_catalogue(JU_COUNTY_CATALOGUE, XIAZHUANG_POWERS, XIAZHUANG.county_code)
    _check_adjustment()
    return {
        "shangcun": category_counts(SHANGCUN.code),
        "xiazhuang_main": category_counts(XIAZHUANG.code, include_sub_items=False),
        "xiazhuang_rows": len(XIAZHUANG_POWERS),
        "xiazhuang_2025_rows": len(XIAZHUANG_POWERS_2025),
        "suning_catalogue": len(SUNING_COUNTY_CATALOGUE),
        "ju_catalogue": len(JU_COUNTY_CATALOGUE),
    }
