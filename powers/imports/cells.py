"""What the cells of a power list say: codes, categories, legal bases, responsibility items.

Offices type these cells by hand, so the parsers accept the usual variants: full-width
letters and digits, stray spaces, several bases in one cell separated by line breaks or
"；", numbered items ("1.", "（2）", "③", "四、"). Free text keeps its Chinese punctuation;
only codes, categories and modes are NFKC-normalised, because they are compared.
"""

import datetime
import re
import unicodedata

from powers.choices import Category, DevolutionMode

# Full-width letters and digits (Ａ-Ｚ, ０-９ ...) as ASCII; Chinese punctuation is kept.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B) if chr(code).isalnum()}
_FULLWIDTH[0x3000] = ord(" ")
_FULLWIDTH[0xA0] = ord(" ")
_BLANKS = re.compile(r"[ \t\u2002-\u200b]+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63]")
_NUMBER = "[0-9一二三四五六七八九十百千零〇两]+"
_ARTICLE = rf"第{_NUMBER}[条款项](?:之{_NUMBER})?(?:第{_NUMBER}[款项])*"
# "第十二条第一款、第十三条" and "第八条、第二款" are one citation of several provisions.
ARTICLES = re.compile(rf"{_ARTICLE}(?:\s*[、，,和及与]\s*{_ARTICLE})*")
# The numbering in front of an item: "1." "2、" "（3）" "④" "⑸" "五、".
MARKER = (
    r"(?:[0-9]{1,2}\s*[.．、)）]|[(（][0-9一二三四五六七八九十]{1,3}[)）]"
    r"|[①-⑳⑴-⒇]|[一二三四五六七八九十]{1,3}、)"
)
_MARKER = re.compile(rf"\s*{MARKER}\s*")
_AT_BOUNDARY = r"(?:^|(?<=[\s。;；]))"
_LAW = re.compile(r"《[^《》]+》")
_DOCUMENT = re.compile(r"\s*[(（][^()（）]{1,40}[)）]")
_ARTICLE_AFTER_LAW = re.compile(rf"\s*的?\s*({ARTICLES.pattern})")
_LEADING_PUNCTUATION = " :：,，、.。"
_RESPONSIBILITY_HEAD = re.compile(r"([^:：。;；]{1,20}?)\s*[:：]\s*")
_CLAUSE_END = re.compile(r"[，,。;；]")

NAME_LENGTH = 100  # ResponsibilityItem.name


def tidy(text: str) -> str:
    """Free text without runs of spaces, blank lines or full-width letters and digits.

    A single space inside Chinese text stays: titles separate joint issuers with one
    ("《中共中央 国务院关于……》").
    """
    lines = []
    for line in text.translate(_FULLWIDTH).split("\n"):
        line = _BLANKS.sub(" ", line).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def one_line(text: str) -> str:
    """A name or a body on one line: a line break inside a Chinese name is the cell's width."""
    joined = ""
    for line in tidy(text).split("\n"):
        ascii_join = joined and joined[-1].isascii() and line[0].isascii()
        joined += (" " if ascii_join else "") + line
    return joined


def normalise_code(text: str) -> str:
    """ "ＸＫ－００１ " -> "XK-001": codes are compared, so every variant folds to one."""
    code = unicodedata.normalize("NFKC", text)
    code = _DASHES.sub("-", code)
    return re.sub(r"\s+", "", code).upper()


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


# Each category's name in the lists (the table).
CATEGORY_LABELS = {
    Category.LICENCE: "行政许可",
    Category.PENALTY: "行政处罚",
    Category.COERCION: "行政强制",
    Category.LEVY: "行政征收",
    Category.PAYMENT: "行政给付",
    Category.INSPECTION: "行政检查",
    Category.CONFIRMATION: "行政确认",
    Category.REWARD: "行政奖励",
    Category.ADJUDICATION: "行政裁决",
    Category.OTHER: "其他行政权力",
    Category.PUBLIC_SERVICE: "公共服务",
}
# The names offices write; "行政" may be left out and "类" added (``category_of``).
CATEGORY_NAMES = {
    "行政许可": Category.LICENCE,
    "行政处罚": Category.PENALTY,
    "行政强制": Category.COERCION,
    "行政强制措施": Category.COERCION,
    "行政强制执行": Category.COERCION,
    "行政征收": Category.LEVY,
    "行政征用": Category.LEVY,
    "行政给付": Category.PAYMENT,
    "行政检查": Category.INSPECTION,
    "行政确认": Category.CONFIRMATION,
    "行政奖励": Category.REWARD,
    "行政裁决": Category.ADJUDICATION,
    "其他行政权力": Category.OTHER,
    "其他权力": Category.OTHER,
    "其他": Category.OTHER,
    "其它行政权力": Category.OTHER,
    "其它": Category.OTHER,
    "公共服务": Category.PUBLIC_SERVICE,
    "公共服务事项": Category.PUBLIC_SERVICE,
}
MODE_NAMES = {
    "下放": DevolutionMode.DEVOLVE,
    "委托": DevolutionMode.ENTRUST,
    "授权": DevolutionMode.AUTHORISE,
    "交由": DevolutionMode.ASSIGN,
    "交办": DevolutionMode.ASSIGN,
}


def category_of(text: str) -> str | None:
    """The category code a cell names (行政许可, 许可, 行政许可类, licence), or None."""
    key = _key(text)
    if key in Category.values:
        return key
    key = key.removesuffix("类")
    return CATEGORY_NAMES.get(key) or CATEGORY_NAMES.get(f"行政{key}")


def mode_of(text: str) -> str | None:
    key = _key(text)
    if key in DevolutionMode.values:
        return key
    return next((mode for name, mode in MODE_NAMES.items() if key.startswith(name)), None)


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def date_of(text: str) -> str | None:
    """An ISO date from "2025-01-01", "2025/1/1", "2025.1.1" or "2025年1月1日", or None."""
    match = _DATE.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


def _pieces(text: str, *, before: str = "", semicolons: bool = False):
    """(numbered?, piece) for each item of an enumeration in ``text``.

    Items start on a new line, at a number ("1." "（2）" "③") that opens the text or
    follows a space, "。" or "；", at ``before`` (a pattern) in the same places and, with
    ``semicolons``, after each "；"; and before every circled number.
    """
    starts = [MARKER, *([before] if before else [])]
    # Circled numbers cannot be anything but numbering: they split wherever they stand.
    boundary = rf"{_AT_BOUNDARY}(?={'|'.join(starts)})|(?=[①-⑳⑴-⒇])"
    if semicolons:
        boundary += r"|(?<=[;；])"
    splitter = re.compile(boundary)
    for line in tidy(text).split("\n"):
        for piece in splitter.split(line):
            marker = _MARKER.match(piece)
            if marker:
                piece = piece[marker.end() :]
            piece = piece.strip().rstrip(";；").strip()
            if piece:
                yield bool(marker), piece


def legal_bases(text: str) -> list[dict]:
    """[{law, article, excerpt}] of a 实施依据 cell.

    "1.《中华人民共和国土地管理法》第七十七条：未经批准……；2.《……》" gives two bases. A line
    that names no law and no article continues the excerpt of the basis before it.
    """
    bases = []
    for numbered, piece in _pieces(text, before="《"):
        law = _LAW.search(piece)
        if law:
            name, rest = law.group(0), piece[law.end() :]
            document = _DOCUMENT.match(rest)  # "（国发〔2004〕16号）" belongs to the title
            if document:
                name, rest = name + document.group(0).strip(), rest[document.end() :]
        else:
            article = ARTICLES.search(piece)
            if article is None and bases and not numbered:
                bases[-1]["excerpt"] = "\n".join(filter(None, [bases[-1]["excerpt"], piece]))
                continue
            cut = article.start() if article else len(piece)
            name, rest = piece[:cut].strip(_LEADING_PUNCTUATION), piece[cut:]
        article = _ARTICLE_AFTER_LAW.match(rest)
        if article:
            rest = rest[article.end() :]
        bases.append(
            {
                "law": name,
                "article": re.sub(r"\s+", "", article.group(1)) if article else "",
                "excerpt": rest.lstrip(_LEADING_PUNCTUATION).rstrip(" ;；"),
            }
        )
    return bases


def responsibility_items(text: str) -> list[dict]:
    """[{name, content}] of a 责任事项 cell: "1.受理责任：……。2.审查责任：……"."""
    items = []
    for numbered, piece in _pieces(text, before=r"[\u4e00-\u9fff]{1,10}责任[:：]"):
        head = _RESPONSIBILITY_HEAD.match(piece)
        if head:
            items.append({"name": head.group(1), "content": piece[head.end() :]})
        elif items and not numbered:
            items[-1]["content"] = "\n".join(filter(None, [items[-1]["content"], piece]))
        else:
            # No "name：" in front: the first clause names the item.
            name = _CLAUSE_END.split(piece, maxsplit=1)[0][:NAME_LENGTH]
            items.append({"name": name, "content": "" if name == piece else piece})
    return items


def accountability_cases(text: str) -> list[str]:
    """The cases of a 追责情形 cell, one per numbered item, line or "；"."""
    return [piece for _numbered, piece in _pieces(text, semicolons=True)]
