import shutil

import pytest

from .pages import PrintedPdfs


@pytest.fixture(scope="session")
def printed_pdfs(tmp_path_factory) -> PrintedPdfs:
    """PDFs printed by headless Chromium from generated pages, cached for the test session."""
    return PrintedPdfs(tmp_path_factory.mktemp("printed-pdfs"))


@pytest.fixture(scope="session")
def tesseract() -> None:
    """Tesseract with its Japanese model: a test environment without it fails, never skips."""
    from kyoyaku.text.ocr import OCR_LANGUAGE, _tesseract_problems

    if shutil.which("tesseract") is None or _tesseract_problems():
        pytest.fail(f"Tesseract with its '{OCR_LANGUAGE}' model is needed to read scans: run bash tests/system-deps.sh "
                    "(Debian packages tesseract-ocr, tesseract-ocr-jpn)")


@pytest.fixture(scope="session")
def ocr_cache(tmp_path_factory, tesseract):
    """One OCR cache for the session ($KYOYAKU_CACHE_DIR): a document is OCR'd once, whichever tests
    read it (never the user's cache)."""
    folder = tmp_path_factory.mktemp("ocr-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KYOYAKU_CACHE_DIR", str(folder))
        yield folder / "ocr"
