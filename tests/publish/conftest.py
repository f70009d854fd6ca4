"""Fixtures of the site's tests: a real browser (browser.py) for the tests that measure pages."""

from .browser import chromium_browser  # noqa: F401 (a fixture, found by pytest through this module)
