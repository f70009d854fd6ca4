import pytest

from .pages import PrintedPdfs


@pytest.fixture(scope="session")
def printed_pdfs(tmp_path_factory) -> PrintedPdfs:
    """PDFs printed by headless Chromium from generated pages, cached for the test session."""
    return PrintedPdfs(tmp_path_factory.mktemp("printed-pdfs"))
