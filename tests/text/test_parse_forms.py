"""The real published forms (issue: real agreements as they are published).

Each synthetic text in tests/fixtures/forms/ has a sidecar NAME.expected.json, written by hand (see
that folder's README): a subset of `kyoyaku parse FILE --format json` — the family's fields plus
date_source, notice and bill — or, for what is not an agreement, the refusal (exit 2).
"""

import json

import pytest

from kyoyaku.errors import InputError
from kyoyaku.text.parse import parse_file

from ..conftest import FIXTURES
from .test_parse_family import observed

FORMS = FIXTURES / "forms"
# Forms the parser does not read yet: the issue stays open until this set is empty.
NOT_YET: dict[str, str] = {
    name: "roles in nested outlines" for name in (
        "combo-pdf-breaks-indent-outline", "combo-title-masked-group-outline", "outline-circled-numbers",
        "outline-field-sub-items", "outline-full-names", "outline-kanji-labels", "outline-latin-roman",
        "outline-teiju-viewpoints", "outline-three-parties", "combo-page-per-line-title-date-viewpoints",
        "pdf-page-per-line",
    )
} | {
    name: "signatures and 別表 of OCR and one-line text" for name in (
                    )
}
CASES = [
    pytest.param(p, id=p.stem, marks=[pytest.mark.xfail(strict=True, reason=NOT_YET[p.stem])] if p.stem in NOT_YET else [])
    for p in sorted(FORMS.glob("*.txt"))
]


def expected(path):
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CASES)
def test_real_form(path):
    want = expected(path)
    if "error" in want:
        with pytest.raises(InputError) as info:
            parse_file(path)
        assert want["message_contains"] in str(info.value) and path.name in str(info.value)
        return
    agreement = parse_file(path)
    got = observed(agreement) | {
        "date_source": agreement.date_source,
        "notice": agreement.notice,
        "bill": {"number": agreement.bill.number, "title": agreement.bill.title, "date": agreement.bill.date}
        if agreement.bill else None,
    }
    for key in ("title", "framework", "date", "date_source", "notice", "bill", "parties", "articles", "initiatives"):
        assert got[key] == want[key], key
    errors = [d.message for d in agreement.diagnostics if d.level == "error"]
    assert len(errors) == len(want["diagnostics"]), errors
    for fragment in want["diagnostics"]:
        assert any(fragment in m for m in errors), (fragment, errors)
