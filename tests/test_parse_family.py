"""The family of agreement forms (issue: real variant forms, encodings, nationwide names).

Each synthetic text in tests/fixtures/family/ has a sidecar NAME.expected.json with what the
parser must read from it: title, framework, date, parties with codes, articles with headings and
clause kinds, initiatives with roles, and the error diagnostics expected (as substrings).
"""

import json
import subprocess
import sys

import pytest

from kyoyaku.errors import InputError
from kyoyaku.parse import parse_file

from .conftest import FIXTURES, SEED

FAMILY = FIXTURES / "family"
# Forms the parser does not read yet: the issue stays open until this set is empty.
NOT_YET: dict[str, str] = {}
CASES = [
    pytest.param(p, id=p.stem, marks=[pytest.mark.xfail(strict=True, reason=NOT_YET[p.stem])] if p.stem in NOT_YET else [])
    for p in sorted(p for p in FAMILY.iterdir() if p.suffix in {".txt", ".bin"})
]


def expected(path):
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


def observed(agreement):
    d = agreement.to_dict()
    return {
        "title": d["title"],
        "framework": d["framework"],
        "date": d["date"],
        "parties": [{k: p[k] for k in ("designation", "name", "code", "role")} for p in d["parties"]],
        "articles": [{k: a[k] for k in ("number", "heading", "clause_kind")} for a in d["articles"]],
        "initiatives": [
            {"category": i["category"], "roles": [{"designation": r["designation"], "leads": r["leads"]} for r in i["roles"]]}
            for i in d["initiatives"]
        ],
    }


@pytest.mark.parametrize("path", CASES)
def test_family_form(path):
    want = expected(path)
    if "error" in want:
        with pytest.raises(InputError) as info:
            parse_file(path)
        assert want["message_contains"] in str(info.value) and path.name in str(info.value)
        return
    agreement = parse_file(path)
    got = observed(agreement)
    for key in ("title", "framework", "date", "parties", "articles", "initiatives"):
        assert got[key] == want[key], key
    errors = [d.message for d in agreement.diagnostics if d.level == "error"]
    assert len(errors) == len(want["diagnostics"]), errors
    for fragment in want["diagnostics"]:
        assert any(fragment in m for m in errors), (fragment, errors)


def test_every_fixture_has_its_expectation():
    for path in (case.values[0] for case in CASES):
        assert path.with_name(path.stem + ".expected.json").is_file(), path


@pytest.mark.parametrize("name", ["seed-cp932.txt", "seed-utf8-bom.txt", "seed-crlf.txt"])
def test_encodings_give_the_seed_model(name):
    a, b = parse_file(FAMILY / name).to_dict(), parse_file(SEED).to_dict()
    del a["source"], b["source"]
    assert a == b


def test_cli_exit_codes_for_family(tmp_path):
    def run(path):
        return subprocess.run([sys.executable, "-m", "kyoyaku.cli", "parse", str(path)], capture_output=True, text=True)

    assert run(FAMILY / "incomplete-no-betsuhyo.txt").returncode == 1
    bad = run(FAMILY / "not-text.bin")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "not-text.bin" in bad.stderr


def test_complete_forms_map_to_rdf_that_conforms_apart_from_unmapped_fields():
    """Every complete family form maps to RDF meeting every shape; the only results allowed are
    rows whose 区分 has no national policy field in the mapping table yet."""
    from kyoyaku.rdf import to_graph
    from kyoyaku.validate import validate

    checked = 0
    for case in CASES:
        path = case.values[0]
        if path.suffix != ".txt" or "error" in expected(path) or path.stem in NOT_YET or expected(path)["diagnostics"]:
            continue
        report = validate(to_graph(parse_file(path)))
        shapes = {r.shape.rsplit("#", 1)[1] for r in report.results}
        assert shapes <= {"InitiativePolicyFieldShape"}, (path.name, report.text())
        checked += 1
    assert checked >= 25
