"""Chinese search of published list entries: one function for the page and the API.

PostgreSQL has no Chinese parser, so Python segments with jieba and the database
indexes the words with the 'simple' configuration (``ListEntry.search_words`` ->
generated ``search_vector``, GIN index ``list_entry_search``). Codes are matched by
trigrams as well (GIN index ``list_entry_code_trgm``), so part of a code finds it.

Index and query are segmented the same way (``cut_for_search`` without HMM): a word
jieba does not know (占道) is cut into the same single characters on both sides, so
the query still matches. Published entries are never re-indexed (they are immutable),
so jieba's dictionary is jieba's own and must not be extended per deployment: a word
added later would be cut differently in new queries than in old entries.
"""

import logging
import re
import threading

import jieba
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, F, IntegerField, Lookup, Q, Value, When

# A code: letters and digits, optionally in dash-separated parts (XK-371122-SP-001).
CODE = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
LOOKS_LIKE_CODE = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9-]*\s*$")
# A token worth indexing has at least one letter, digit or CJK character.
WORDLIKE = re.compile(r"\w", re.UNICODE)
# Function characters jieba leaves alone; dropped on both sides so they match nothing.
STOP_WORDS = frozenset("的对和与及或等之了")

_ready = threading.Lock()
_initialised = False


def _jieba():
    """jieba with its dictionary loaded once per process, quietly."""
    global _initialised
    if not _initialised:
        with _ready:
            if not _initialised:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _initialised = True
    return jieba


def _words(text):
    for word in _jieba().cut_for_search(text, HMM=False):
        word = word.strip().lower()
        if word and WORDLIKE.search(word) and word not in STOP_WORDS:
            yield word


def index_words(*texts) -> str:
    """The words of ``texts`` for ``ListEntry.search_words``: jieba's search cut of each
    text, every code kept whole and in its dash-separated parts, lowercased, each word
    once, separated by spaces."""
    words = {}
    for text in texts:
        if not text:
            continue
        text = str(text)
        for code in CODE.findall(text):
            if "-" in code:
                words.setdefault(code.lower())
                for part in code.split("-"):
                    words.setdefault(part.lower())
        for word in _words(text):
            words.setdefault(word)
    return " ".join(words)


def query_words(q) -> list[str]:
    """The words a query is searched by: the same cut as the index, each word once."""
    return list(dict.fromkeys(_words(q or "")))


class ILike(Lookup):
    """``lhs ILIKE rhs``: Django's ``icontains`` compares ``UPPER(code)``, which the
    trigram index on ``code`` cannot serve; ILIKE on the column itself can."""

    lookup_name = "ilike"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def _lexeme(word):
    # A quoted lexeme of to_tsquery: quotes and backslashes inside it are escaped, so
    # no query text is read as tsquery syntax (&, |, !, :*, parentheses).
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def search(queryset, q):
    """Entries of ``queryset`` matching query ``q``, best first.

    Every word of the query must be among the entry's words (AND). A query that looks
    like a code (letters, digits, dashes) also matches codes containing it, through the
    trigram index. Order: the exact code first, then ``ts_rank``, then the list order.
    A blank query leaves ``queryset`` as it is; a query of punctuation only matches nothing.
    """
    q = (q or "").strip()
    if not q:
        return queryset
    words = query_words(q)
    is_code = bool(LOOKS_LIKE_CODE.match(q))
    if not words and not is_code:
        return queryset.none()
    match = Q()
    rank = Value(0.0)
    if words:
        query = SearchQuery(
            " & ".join(_lexeme(word) for word in words), config="simple", search_type="raw"
        )
        match = Q(search_vector=query)
        rank = SearchRank(F("search_vector"), query)
    if is_code:
        # LOOKS_LIKE_CODE admits no LIKE wildcard (%, _ or a backslash): nothing to escape.
        match |= Q(ILike(F("code"), Value(f"%{q}%")))
    found = queryset.filter(match).annotate(search_rank=rank)
    if not is_code:
        # Only a code-like query can equal a code: sorting every match by an always-false
        # comparison costs a CASE per row and nothing else.
        return found.order_by("-search_rank", "position")
    exact = Case(When(code__iexact=q, then=Value(0)), default=Value(1), output_field=IntegerField())
    return found.annotate(search_exact=exact).order_by("search_exact", "-search_rank", "position")
