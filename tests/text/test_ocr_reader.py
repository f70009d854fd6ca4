"""Scans and images are read by OCR (text.ocr) as the same agreement as their text: the seed and family
fixtures printed by headless Chromium as a plain document (pages.document_page), rasterised into an
image-only PDF (no text layer: a scan) and into PNG and multi-page TIFF images, once per test session.
Tesseract with its Japanese model is needed: bash tests/system-deps.sh installs it."""

from __future__ import annotations

import io

import pytest

from kyoyaku.text.parse import parse_bytes

from ..conftest import SEED


def with_role_columns(text: str, first: str, second: str) -> str:
    return text.replace("甲の役割\t乙の役割", f"{first}\t{second}")


@pytest.mark.parametrize(("first", "second"), [("申の役割", "との役割"), ("甲の役割", "選の役割")])
def test_role_columns_misread_by_ocr_go_to_the_parties_no_other_column_names(first, second):
    """OCR reads 甲 as 申 and 乙 as と or 選 in the 別表's header: every row of such a table was an error."""
    text = SEED.read_text(encoding="utf-8")
    read = parse_bytes(with_role_columns(text, first, second).encode(), name="seed.txt")
    seed = parse_bytes(SEED.read_bytes(), name="seed.txt")
    assert read.to_dict()["initiatives"] == seed.to_dict()["initiatives"]
    warnings = [d.message for d in read.diagnostics if d.level == "warning"]
    misread = [c for c in (first, second) if c not in ("甲の役割", "乙の役割")]
    assert warnings == [f"別表 column {c} names no party: read as {'甲' if c == first else '乙'}の役割, the party "
                        "no other column names" for _ in range(5) for c in misread]


def test_a_role_column_naming_no_party_is_still_an_error_when_it_cannot_be_told():
    """Two columns naming no party but one party left: nothing is guessed."""
    text = SEED.read_text(encoding="utf-8").replace("甲の役割\t乙の役割", "申の役割\t甲の役割\t選の役割")
    read = parse_bytes(text.encode(), name="seed.txt")
    assert read.initiatives == []
    assert not any("names no party" in d.message for d in read.diagnostics)
