"""Browser tests: Playwright driving Debian's Chromium against a live server.

On a machine without Chromium they skip with a message saying what to install;
in CI (CI=true) that skip is a failure, so a broken install cannot pass silently.
"""

import os
import shutil
from pathlib import Path

import pytest

from powers.demo import seed_powers
from tests.conftest import load_demo_people

# Playwright's sync API runs an event loop in this thread; Django would otherwise
# refuse the ORM calls the fixtures and the live server make from here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM = shutil.which("chromium")
MISSING_CHROMIUM = (
    "Browser tests need Debian's Chromium and CJK fonts: "
    "apt-get install -y chromium fonts-noto-cjk (playwright install cannot download here)."
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING_CHROMIUM, pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Our users' browsers ask for Chinese; the portal honours Accept-Language.
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def demo(transactional_db, live_server):
    """The demo organisation and users behind a live server; returns its base URL.

    Journeys that read the published lists override it with ``demo_with_lists``.
    """
    load_demo_people()
    return live_server.url


@pytest.fixture
def demo_with_lists(demo):
    """``demo`` plus the towns' published lists, as ``seed_demo`` makes them."""
    seed_powers()
    return demo


def serious_accessibility_violations(page):
    """Run axe-core on the page; return the serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
