"""The real published forms (issue: real agreements as they are published).

Each synthetic text in tests/fixtures/forms/ has a sidecar NAME.expected.json, written by hand (see
that folder's README): a subset of `kyoyaku parse FILE --format json` — the family's fields plus
date_source, notice and bill — or, for what is not an agreement, the refusal (exit 2).
"""

import json

import pytest

from kyoyaku.text.parse import parse_file

from ..conftest import FIXTURES
from .test_parse_family import FAMILY_KEYS, check_expected, expected, observed

FORMS = FIXTURES / "forms"
# Forms the parser does not read yet: the issue stays open until this set is empty.
NOT_YET: dict[str, str] = {}
CASES = [
    pytest.param(p, id=p.stem, marks=[pytest.mark.xfail(strict=True, reason=NOT_YET[p.stem])] if p.stem in NOT_YET else [])
    for p in sorted(FORMS.glob("*.txt"))
]


def observed_with_sources(agreement) -> dict:
    """The family's subset, and where the date came from, the notice and the bill."""
    return observed(agreement) | {
        "date_source": agreement.date_source,
        "notice": agreement.notice,
        "bill": {"number": agreement.bill.number, "title": agreement.bill.title, "date": agreement.bill.date}
        if agreement.bill else None,
    }


@pytest.mark.parametrize("path", CASES)
def test_real_form(path):
    check_expected(path, FAMILY_KEYS + ("date_source", "notice", "bill"), observed_with_sources)


PLACES = {"header": "例規集 header", "title": "title", "cover": "cover page", "bill": "council bill"}


@pytest.mark.parametrize("path", [c for c in CASES if expected(c.values[0]).get("date_source") in PLACES])
def test_a_date_not_from_the_closing_is_reported_with_the_line_it_came_from(path):
    """A date found by a fallback rule is an info diagnostic naming its place and line; the line holds
    the date as written, and date_line is that line."""
    agreement = parse_file(path)
    place = PLACES[expected(path)["date_source"]]
    infos = [d for d in agreement.diagnostics if d.level == "info" and "taken from the" in d.message]
    assert len(infos) == 1 and place in infos[0].message and agreement.date in infos[0].message, infos
    assert infos[0].line == agreement.date_line
    text = path.read_text(encoding="utf-8").splitlines()[agreement.date_line - 1]
    text = text.replace(" ", "").replace("\u3000", "")  # letter spacing closed up
    assert ("提出" in text) if place == "council bill" else (agreement.date_as_written in text)


def run_parse(path):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "kyoyaku.cli", "parse", str(path), "--format", "json"],
                          capture_output=True, text=True, check=False)


def test_an_excerpt_is_read_as_far_as_it_goes_and_each_missing_part_named():
    done = run_parse(FORMS / "incomplete-excerpt-mid-article.txt")
    assert done.returncode == 1 and json.loads(done.stdout)["articles"]
    errors = [l for l in done.stderr.splitlines() if ": error: " in l]
    assert len(errors) == 4, done.stderr
    for part in ("closing", "date", "signature", "別表"):
        assert any(part in l for l in errors), (part, errors)


@pytest.mark.parametrize("name", sorted(p.stem for p in FORMS.glob("not-agreement-*.txt")))
def test_what_is_not_an_agreement_is_refused_in_one_line(name):
    done = run_parse(FORMS / f"{name}.txt")
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"kyoyaku: {FORMS / name}.txt:1: expected ") and "Traceback" not in done.stderr
