"""The committed .mo catalogues must say what the .po sources say (they are compiled
with ``make messages``; a machine without gettext still runs the portal)."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"))


def po_entries(path):
    """(msgctxt or "", msgid) -> (msgstr, fuzzy) for the non-plural entries of a .po file
    (header left out): the same msgid in two contexts is two messages."""
    text = path.read_text(encoding="utf-8") + "\n"
    entries = {}
    pattern = r'((?:#.*\n)*)(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)'
    for comments, msgctxt, msgid, msgstr in re.findall(pattern, text):
        if key := _unquote(msgid):
            entries[_unquote(msgctxt), key] = (_unquote(msgstr), "#, fuzzy" in comments)
    return entries


def _unquote(block):
    lines = re.findall(r'"(.*)"', block)
    return "".join(lines).encode("latin-1", "backslashreplace").decode("unicode_escape")


def test_there_is_a_chinese_catalogue():
    # English is the source language of every message, so it needs no catalogue.
    assert [path.parts[-3] for path in CATALOGUES] == ["zh_Hans"]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.parts[-3])
def test_the_compiled_catalogue_matches_its_source(po):
    compiled = gettext.GNUTranslations(po.with_suffix(".mo").open("rb"))

    for (context, msgid), (msgstr, fuzzy) in po_entries(po).items():
        if msgstr and not fuzzy:
            found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            assert found == msgstr, (context, msgid)


def test_every_chinese_message_is_translated_and_reviewed():
    entries = po_entries(Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po")

    pending = [key for key, (msgstr, fuzzy) in entries.items() if not msgstr or fuzzy]

    assert pending == []
