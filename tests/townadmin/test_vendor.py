"""Vendored front-end files are exactly the versions their VERSIONS file names."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings

VERSIONS_FILES = [
    Path(settings.BASE_DIR, "static/vendor/VERSIONS"),
    Path(settings.BASE_DIR, "tests/e2e/vendor/VERSIONS"),
]


def vendored():
    for versions in VERSIONS_FILES:
        for line in versions.read_text().splitlines():
            if line and not line.startswith("#"):
                name, version, licence, checksum, filename = line.split("\t")
                yield pytest.param(versions.parent / filename, checksum, licence, id=name)


@pytest.mark.parametrize(("path", "checksum", "licence"), list(vendored()))
def test_each_vendored_file_matches_its_recorded_checksum_and_licence(path, checksum, licence):
    assert hashlib.sha256(path.read_bytes()).hexdigest() == checksum
    assert licence


def test_no_template_loads_anything_from_another_host():
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = template.read_text()
        assert 'src="http' not in text and 'href="http' not in text and "//cdn" not in text, (
            template
        )
