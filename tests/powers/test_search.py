import logging

import jieba
import pytest
from django.db import connection

from powers import search as search_module
from powers.choices import Category
from powers.lists import entries
from powers.models import ListEntry
from powers.search import index_words, query_words, search
from tests.powers.factories import entry, make_town, make_version, numbered_entries

pytestmark = pytest.mark.django_db

HOUSING = "XK-371122-ZR-0001"


@pytest.fixture
def version():
    return make_version(
        make_town(),
        [
            entry(HOUSING, "农村村民建房审批"),
            entry("XK-371122-SC-0002", "食品经营许可", department="县市场监督管理局"),
            entry("CF-371122-ZF-0003", "对占道经营的处罚", Category.PENALTY),
            entry("CF-371122-ZF-0004", "对擅自占用城市道路的处罚", Category.PENALTY),
            entry("GG-371122-MZ-0005", "最低生活保障审核", Category.PUBLIC_SERVICE),
        ],
    )


def codes(queryset):
    return [e.code for e in queryset]


def test_index_words_keeps_a_code_whole_and_in_its_parts():
    words = index_words("XK-371122-ZR-0001", "农村村民建房审批").split()

    assert words[:5] == ["xk-371122-zr-0001", "xk", "371122", "zr", "0001"]
    assert {"农村", "村民", "建房", "审批"} <= set(words)


def test_index_words_drops_punctuation_and_repeats():
    words = index_words("《中华人民共和国土地管理法》第六十二条", "土地管理法，").split()

    assert len(words) == len(set(words))
    assert not {"《", "》", "，"} & set(words)


def test_a_two_character_word_finds_the_entries_holding_it(version):
    entries = version.entries.all()

    assert codes(search(entries, "建房")) == [HOUSING]
    assert codes(search(entries, "食品")) == ["XK-371122-SC-0002"]


def test_a_word_jieba_does_not_know_is_found_by_the_same_cut(version):
    # 占道 is not in jieba's dictionary: query and index both cut it into 占 and 道,
    # while 占用城市道路 is cut into other words and does not match.
    assert codes(search(version.entries.all(), "占道")) == ["CF-371122-ZF-0003"]


def test_every_word_of_the_query_must_match(version):
    entries = version.entries.all()

    assert codes(search(entries, "村民 建房")) == [HOUSING]
    assert codes(search(entries, "村民 食品")) == []


def test_part_of_a_code_finds_the_entries_whose_code_contains_it(version):
    found = codes(search(version.entries.all(), "ZF-000"))

    assert found == ["CF-371122-ZF-0003", "CF-371122-ZF-0004"]


def test_an_exact_code_comes_first(version):
    make_version(version.town, [entry("XK-1", "许可一"), entry("XK-10", "许可十")])
    second = version.town.list_versions.get(number=2)

    assert codes(search(second.entries.all(), "xk-1")) == ["XK-1", "XK-10"]


def test_a_word_query_keeps_the_list_order_among_equal_matches(version):
    make_version(
        version.town,
        [entry("XK-3", "临时用地许可"), entry("XK-1", "取水许可"), entry("XK-2", "采伐许可")],
    )
    second = version.town.list_versions.get(number=2)

    assert codes(search(second.entries.all(), "许可")) == ["XK-3", "XK-1", "XK-2"]


def test_tsquery_syntax_in_a_query_is_searched_as_text(version):
    entries = version.entries.all()

    assert codes(search(entries, "建房 & !'审批 | (")) == [HOUSING]
    assert codes(search(entries, "a:* \\")) == []


def test_a_blank_query_leaves_the_entries_and_punctuation_finds_nothing(version):
    entries = version.entries.all()

    assert search(entries, "  ").count() == 5
    assert search(entries, "，。！").count() == 0


def test_the_query_is_cut_like_the_index():
    assert query_words("农村村民建房") == ["农村", "村民", "建房"]


def test_jieba_loads_its_dictionary_on_first_use_and_quietly(caplog, monkeypatch):
    # As in a fresh process: jieba not loaded yet, and logging everything it does.
    monkeypatch.setattr(search_module, "_initialised", False)
    monkeypatch.setattr(jieba.dt, "initialized", False)
    jieba.setLogLevel(logging.DEBUG)

    with caplog.at_level(logging.DEBUG):
        index_words("乡村建设规划许可证")

    assert jieba.dt.initialized
    assert not [record for record in caplog.records if record.name == "jieba"]


def explain(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_two_character_word_is_looked_up_in_the_gin_index():
    town = make_town()
    make_version(town, numbered_entries(1500) + [entry("XK-371122-ZR-9999", "农村村民建房审批")])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE powers_listentry")

    plan = explain(search(ListEntry.objects.all(), "建房"))

    assert "list_entry_search" in plan, plan


def test_a_search_within_one_version_gives_the_index_the_version_and_the_word_at_once():
    town = make_town()
    rows = numbered_entries(1500) + [entry("XK-371122-ZR-9999", "农村村民建房审批")]
    version = make_version(town, rows)
    make_version(town, rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE powers_listentry")

    plan = explain(search(entries(version), "建房"))

    conditions = [line for line in plan.splitlines() if "list_entry_search" in line]
    assert conditions, plan
    index_cond = plan.splitlines()[plan.splitlines().index(conditions[0]) + 1]
    assert "version_id" in index_cond and "@@" in index_cond, plan


def test_part_of_a_code_is_looked_up_in_the_trigram_index():
    town = make_town()
    make_version(town, numbered_entries(1500))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE powers_listentry")

    plan = explain(search(ListEntry.objects.all(), "ZR-0777"))

    assert "list_entry_code_trgm" in plan, plan
