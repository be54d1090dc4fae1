"""Notices and receipts as PDF: a Django template rendered to HTML, WeasyPrint to PDF.

Templates extend ``pdf/base.html`` (A4, Chinese fonts, page numbers, seal area) and
carry their CSS inline. WeasyPrint needs Pango and the Noto CJK fonts (Debian packages
in ``.ci/run`` and the Dockerfile); without CJK fonts Chinese text renders as blanks.

Images and stylesheets are read from the project's static directory by relative path
(``<img src="img/seal.png">``), never over HTTP.
"""

from pathlib import Path
from urllib.parse import quote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def _static_dir():
    return Path(settings.STATICFILES_DIRS[0]).resolve()


class StaticFilesOnly(URLFetcher):
    """Fetches ``data:`` URLs and files under the static directory, and nothing else.

    Documents carry applicants' text: were WeasyPrint free to follow any URL, that text
    could make the server read local files or call intranet hosts; and a CDN blocked by
    the intranet would stall every render for the fetch timeout.
    """

    def fetch(self, url, headers=None):
        if not (url.startswith("data:") or _is_static_file(url)):
            raise ValueError(f"A PDF document may only use static files, not {url}")
        return super().fetch(url, headers)


def _is_static_file(url):
    parts = urlsplit(url)
    if parts.scheme != "file":
        return False
    return Path(url2pathname(parts.path)).resolve().is_relative_to(_static_dir())


def render_pdf(template_name, context, *, request=None):
    """The PDF of ``template_name`` rendered with ``context``, as bytes."""
    html = render_to_string(template_name, context, request=request)
    # The trailing slash makes relative paths resolve inside the static directory.
    base_url = _static_dir().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly()).write_pdf()


def pdf_response(template_name, context, *, filename, request=None):
    """An inline PDF response; ``filename`` may be Chinese (RFC 5987 encoding)."""
    response = HttpResponse(
        render_pdf(template_name, context, request=request), content_type="application/pdf"
    )
    # Browsers use filename* (UTF-8, percent-encoded); a bare non-ASCII filename= is
    # garbled by some of them, so it is left out.
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename, safe='')}"
    return response
