"""The page of an agreement known from the registry only (kyo:AgreementRecord, publish.pages): no
text is published, so the page says so and shows the parties, date, area and sources."""

from __future__ import annotations

from .agreement import agreement_document
from .html import Page

RECORD_NOTICE = (
    '<p class="notice">この協約は登録簿の記録からのみ知られており、本文は公開されていません。'
    '当事者・締結日・圏域と出典だけを示します。'
    '<span class="en" lang="en">Known from the registry only: no text of this agreement is published here; '
    "parties, date, area and sources only.</span></p>"
)


def record_page(page: Page, a) -> str:
    """The page of registry record `a`: the agreement's frame (agreement_document) with the notice
    and without a text."""
    return agreement_document(page, a, notice=RECORD_NOTICE, text=[])
