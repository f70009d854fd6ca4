"""The fixtures of real published forms (tests/fixtures/forms/) are consistent in themselves.

These tests do not run the parser: they check the hand-written expectations against the rules
of tests/fixtures/forms/README.md — every input has its expectation, every expectation loads and
has the agreed shape, every party's code is the national code of the name as written, every
article list is numbered without gaps (unless a diagnostic names the missing article), and every
initiative has one role per party. A mistake here would make the parser's tests demand nonsense.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata

import pytest

from kyoyaku.text.municipalities import by_code, resolve

from ..conftest import FIXTURES

FORMS = FIXTURES / "forms"
README = FORMS / "README.md"
EXPECTATION_SUFFIX = ".expected.json"
INPUTS = sorted(p for p in FORMS.iterdir() if p.name != README.name and not p.name.endswith(EXPECTATION_SUFFIX))
EXPECTATIONS = sorted(FORMS.glob(f"*{EXPECTATION_SUFFIX}"))
FORM_PREFIXES = ("reiki", "parties", "cover", "bill", "pdf", "ocr", "title", "dates", "outline", "names",
                 "incomplete", "not-agreement", "combo")
# Inputs whose bytes are part of the form they show (e.g. an encoding or a line end); each says why.
# Every other input is UTF-8 without BOM, LF line ends, ending with a newline.
OTHER_BYTES: dict[str, str] = {}

AGREEMENT_KEYS = {"title", "framework", "date", "date_source", "notice", "bill", "parties", "articles",
                  "initiatives", "diagnostics"}
NOT_AGREEMENT = {"error": "exit 2", "message_contains": "expected"}
FRAMEWORKS = {"renkei-chusu", "teiju-jiritsu"}
DATE_SOURCES = {"closing", "header", "title", "cover", "bill"}
DESIGNATIONS = "甲乙丙丁戊己"
ROLES = {"core-city", "partner"}
CLAUSE_KINDS = {"purpose", "basic-policy", "definitions", "vision", "initiatives-and-roles", "cost-sharing",
                "consultation", "amendment-termination", "term", "dispute-resolution", "other"}
ARTICLE_NUMBER = re.compile(r"^(?P<main>[1-9][0-9]*)(?:の(?P<sub>[1-9][0-9]*))?$")


def expectation_of(path):
    return FORMS / (path.stem + EXPECTATION_SUFFIX)


def load(path):
    return json.loads(expectation_of(path).read_text(encoding="utf-8"))


def agreements():
    """Inputs expecting an agreement (an input without an expectation fails its own test, not collection)."""
    return [p for p in INPUTS if expectation_of(p).is_file() and "error" not in load(p)]


def not_agreements():
    return [p for p in INPUTS if expectation_of(p).is_file() and "error" in load(p)]


def iso_date_or_none(value):
    if value is None:
        return True
    return isinstance(value, str) and datetime.date.fromisoformat(value).isoformat() == value


def normalised(text):
    """NFKC without spaces: the form in which notices and bill numbers are written down."""
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def test_the_folder_has_fixtures_of_every_kind_this_issue_asks_for():
    prefixes = {p.name.split("-")[0] if not p.name.startswith("not-agreement") else "not-agreement" for p in INPUTS}
    assert {"reiki", "parties", "cover", "bill", "names", "incomplete", "not-agreement", "combo"} <= prefixes
    assert sum(p.name.startswith("combo-") for p in INPUTS) >= 8


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_every_input_has_its_expectation_and_a_form_name(path):
    assert expectation_of(path).is_file(), f"{path.name} has no {expectation_of(path).name}"
    assert path.name.startswith(tuple(f"{prefix}-" for prefix in FORM_PREFIXES)), path.name


@pytest.mark.parametrize("path", EXPECTATIONS, ids=lambda p: p.name)
def test_every_expectation_has_its_input(path):
    stem = path.name[: -len(EXPECTATION_SUFFIX)]
    assert [p.name for p in INPUTS if p.stem == stem], f"{path.name} has no input"


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_inputs_are_plain_documents(path):
    data = path.read_bytes()
    if path.name in OTHER_BYTES:
        return
    assert not data.startswith(b"\xef\xbb\xbf"), "a BOM"
    assert b"\r" not in data, "CR line ends"
    assert data.endswith(b"\n"), "no newline at the end"
    text = data.decode("utf-8")
    # The file is the document as a user has it: no note about the fixture on its first lines.
    for line in text.splitlines()[:3]:
        assert not line.lstrip().startswith(("#", "//", "<!--", "NOTE", "注:")), line


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_every_input_is_documented_in_the_readme(path):
    assert f"`{path.name}`" in README.read_text(encoding="utf-8"), f"{path.name} has no row in README.md"


@pytest.mark.parametrize("path", not_agreements(), ids=lambda p: p.name)
def test_a_document_that_is_no_agreement_expects_exit_2(path):
    assert load(path) == NOT_AGREEMENT


@pytest.mark.parametrize("path", agreements(), ids=lambda p: p.name)
def test_expectation_shape(path):
    want = load(path)
    assert set(want) == AGREEMENT_KEYS, sorted(set(want) ^ AGREEMENT_KEYS)
    title = want["title"]
    assert title is None or (isinstance(title, str) and title == title.strip() and title[0] not in "○〇"), title
    assert want["framework"] in FRAMEWORKS
    assert iso_date_or_none(want["date"]), want["date"]
    assert (want["date"] is None) == (want["date_source"] is None), (want["date"], want["date_source"])
    assert want["date_source"] is None or want["date_source"] in DATE_SOURCES
    assert want["notice"] is None or want["notice"] == normalised(want["notice"]) != "", want["notice"]
    assert isinstance(want["diagnostics"], list) and all(isinstance(d, str) and d for d in want["diagnostics"])
    # A missing part is named: no title, no date.
    if title is None:
        assert any("title" in d for d in want["diagnostics"]), want["diagnostics"]
    if want["date"] is None:
        assert any("date" in d for d in want["diagnostics"]), want["diagnostics"]


@pytest.mark.parametrize("path", agreements(), ids=lambda p: p.name)
def test_bill(path):
    want = load(path)
    bill = want["bill"]
    if bill is None:
        assert want["date_source"] != "bill"
        return
    assert set(bill) == {"number", "title", "date"}, bill
    assert bill["number"] == normalised(bill["number"]) and bill["number"].endswith("号"), bill["number"]
    assert bill["title"] and bill["title"] != want["title"], bill["title"]
    assert iso_date_or_none(bill["date"]), bill["date"]
    if want["date_source"] == "bill":
        assert want["date"] == bill["date"] is not None


@pytest.mark.parametrize("path", agreements(), ids=lambda p: p.name)
def test_party_codes_are_the_national_codes_of_the_names(path):
    want = load(path)
    parties = want["parties"]
    for party in parties:
        assert set(party) == {"designation", "name", "code", "role"}, party
        assert party["designation"] == "" or party["designation"] in DESIGNATIONS, party
        assert party["role"] in ROLES, party
        others = {by_code(p["code"]).prefecture for p in parties if p is not party and p["code"]}
        found = resolve(party["name"], tuple(sorted(others))).municipality
        if party["code"] is None:
            # Left open only when the name stays ambiguous, and then a diagnostic says so.
            assert found is None and len(resolve(party["name"]).candidates) > 1, party
            assert any(party["name"] in d or "ambiguous" in d for d in want["diagnostics"]), party
        else:
            assert found is not None and found.code == party["code"], (party, found)
    designations = [p["designation"] for p in parties if p["designation"]]
    assert len(designations) == len(set(designations)), designations
    assert len({p["name"] for p in parties}) == len(parties), "a party listed twice"


@pytest.mark.parametrize("path", agreements(), ids=lambda p: p.name)
def test_articles_are_numbered_without_gaps(path):
    want = load(path)
    expected_main = 1
    last_sub: dict[int, int] = {}
    for article in want["articles"]:
        assert set(article) == {"number", "heading", "clause_kind"}, article
        assert article["clause_kind"] in CLAUSE_KINDS, article
        assert article["heading"] is None or (article["heading"] and article["heading"][0] not in "（("), article
        m = ARTICLE_NUMBER.match(article["number"])
        assert m, article["number"]
        main = int(m.group("main"))
        if m.group("sub"):
            # 第3条の2 follows 第3条 (or 第3条の1), and the next sub-article follows it.
            assert main == expected_main - 1 and int(m.group("sub")) == last_sub.get(main, 1) + 1, article["number"]
            last_sub[main] = int(m.group("sub"))
            continue
        # A gap is allowed only where the copy lost articles, and a diagnostic names each of them.
        for missing in range(expected_main, main):
            assert any(f"第{missing}条" in d for d in want["diagnostics"]), f"第{missing}条 missing, no diagnostic"
        assert main >= expected_main, article["number"]
        expected_main = main + 1


@pytest.mark.parametrize("path", agreements(), ids=lambda p: p.name)
def test_initiatives_have_one_role_per_party_in_party_order(path):
    want = load(path)
    designations = [p["designation"] for p in want["parties"]]
    for initiative in want["initiatives"]:
        assert set(initiative) == {"category", "roles"}, initiative
        assert initiative["category"] and initiative["category"] == initiative["category"].strip(), initiative
        assert [r["designation"] for r in initiative["roles"]] == designations, initiative
        assert all(isinstance(r["leads"], bool) and set(r) == {"designation", "leads"} for r in initiative["roles"])
