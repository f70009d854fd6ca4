"""The page of an agreement known from the registry only (kyo:AgreementRecord, publish.pages): its
text is not in the dataset, so the page says so and shows the parties, date, area and sources."""

from __future__ import annotations

from .agreement import agreement_document
from .html import Page
from .language import t

RECORD_NOTICE = (
    '<p class="notice">この協約は圏域の登録簿（自治体・都道府県のページ）から知られています。'
    '本文はこのデータセットに未収録です。当事者・締結日・圏域と出典を示します。'
    '<span class="en" lang="en">Known from the area registry (municipal and prefectural pages): its text is not in '
    "this dataset. Parties, date, area and sources below.</span></p>"
)
RECORD_NOTICE_EN = ('<p class="notice">This agreement is known from the area registry (municipal and prefectural '
                    "pages); its text is not in this dataset. Its parties, date, area and sources are below.</p>")


def record_page(page: Page, a) -> str:
    """The page of registry record `a`: the agreement's frame (agreement_document) with the notice
    and without a text."""
    return agreement_document(page, a, notice=t(RECORD_NOTICE, RECORD_NOTICE_EN), text=[])
