"""A real browser for the site's tests: Playwright driving Debian's headless Chromium (no browser
download: Playwright's own builds are never fetched), for what a screenshot or a DOM dump cannot
show — layout measured at a width, text typed into the search page, axe-core run in the page.

A missing Chromium or Playwright FAILS the test with what to install, never skips.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

WIDTHS = (390, 1280)  # a phone and a desktop, the widths every page is checked at


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("headless Chromium is needed: install the Debian package `chromium` (apt-get install -y chromium)")
    return path


@contextmanager
def browser() -> Iterator[object]:
    """A Playwright Browser on the system's Chromium, closed after."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is needed: install the test extra (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")  # not the session's: Playwright's driver and Chromium are this process's
def chromium_browser():           # children, which tests that count them (test_report.py) must not find
    with browser() as launched:
        yield launched
