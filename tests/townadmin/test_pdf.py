"""Notices and receipts print to PDF with Chinese fonts (DESIGN.md section 8)."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from pypdf import PdfReader

from townadmin.pdf import StaticFilesOnly, pdf_response, render_pdf

SENTENCE = "申请人应当在十五个工作日内补正材料。"

# A notice as a feature template would write it, kept in memory so the test adds no file.
NOTICE = "tests/notice.html"
NOTICE_SOURCE = """{% extends "pdf/base.html" %}
{% block issuer %}甲镇人民政府{% endblock %}
{% block number %}甲政补〔2026〕3号{% endblock %}
{% block title %}补正材料通知书{% endblock %}
{% block content %}<p>{{ sentence }}</p>{% endblock %}
{% block seal %}<p>甲镇人民政府</p><p>2026年3月2日</p>{% endblock %}
"""


@pytest.fixture(autouse=True)
def notice_template(settings):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **engine,
            "APP_DIRS": False,
            "OPTIONS": {
                **engine["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {NOTICE: NOTICE_SOURCE}),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


@pytest.fixture
def notice_pdf():
    return render_pdf(NOTICE, {"sentence": SENTENCE})


def text_of(pdf):
    # Line breaks are where the layout wrapped, not part of the text.
    pages = PdfReader(io.BytesIO(pdf)).pages
    return "".join(page.extract_text().replace("\n", "") for page in pages)


def embedded_fonts(pdf):
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_a_rendered_document_is_a_pdf(notice_pdf):
    assert notice_pdf.startswith(b"%PDF")


def test_the_chinese_text_of_the_context_can_be_read_back_from_the_pdf(notice_pdf):
    # Without CJK glyphs in the font the sentence would come back as blanks or boxes.
    assert SENTENCE in text_of(notice_pdf)


def test_the_body_is_set_in_a_noto_cjk_serif_font(notice_pdf):
    # Subset fonts are named "ABCDEF+Noto-Serif-CJK-SC".
    assert any("NotoSerifCJK" in name.replace("-", "") for name in embedded_fonts(notice_pdf))


def test_the_footer_numbers_the_pages(notice_pdf):
    assert "— 1 —" in text_of(notice_pdf)


def test_the_pdf_response_is_an_inline_pdf():
    response = pdf_response(NOTICE, {"sentence": SENTENCE}, filename="notice.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_pdf_response_names_a_chinese_file_in_rfc_5987_form():
    response = pdf_response(NOTICE, {"sentence": SENTENCE}, filename="补正 通知.pdf")

    assert response["Content-Disposition"] == (
        "inline; filename*=UTF-8''%E8%A1%A5%E6%AD%A3%20%E9%80%9A%E7%9F%A5.pdf"
    )


def test_a_document_may_use_a_static_file():
    favicon = Path(django_settings.STATICFILES_DIRS[0], "img/favicon.svg").resolve()

    response = StaticFilesOnly().fetch(favicon.as_uri())

    assert response.read() == favicon.read_bytes()


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/internal", "https://cdn.example.com/font.css", "file:///etc/passwd"],
)
def test_a_document_may_not_fetch_anything_but_static_files(url):
    with pytest.raises(ValueError, match="only use static files"):
        StaticFilesOnly().fetch(url)
