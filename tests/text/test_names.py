"""Names of parties are never cut (issue: real forms, item 4): a list of names is split on its
connectives (と, 及び, 並びに, 、, ・) only where every part names a municipality in the national
list, the longest name winning, so と or 並 that begins or is inside a name stays in it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyoyaku.text.header import (
    split_names,
    split_pair,
    strip_connectives,
    trailing_name,
)
from kyoyaku.text.municipalities import _records
from kyoyaku.text.parse import parse_bytes


@pytest.mark.parametrize(("text", "names"), [
    ("東松山市とときがわ町", ["東松山市", "ときがわ町"]),
    ("ときがわ町と東松山市", ["ときがわ町", "東松山市"]),
    ("滑川町、嵐山町、小川町及びときがわ町", ["滑川町", "嵐山町", "小川町", "ときがわ町"]),
    ("と滑川町及びときがわ町", ["滑川町", "ときがわ町"]),
    ("杉並区並びに武蔵野市", ["杉並区", "武蔵野市"]),
    ("武蔵野市及び杉並区", ["武蔵野市", "杉並区"]),
    ("前橋市・渋川市・榛東村", ["前橋市", "渋川市", "榛東村"]),
    ("前橋市 及び 渋川市", ["前橋市", "渋川市"]),
    ("山口県岩国市及び玖珂郡和木町", ["山口県岩国市", "玖珂郡和木町"]),
])
def test_names_split_only_where_the_parts_are_municipalities(text, names):
    assert split_names(text) == names


@pytest.mark.parametrize("text", ["連携中枢都市宣言を行った前橋市", "前橋市及び", "圏域", "", "と"])
def test_text_that_is_not_a_list_of_names_is_not_split(text):
    assert split_names(text) is None


def test_a_name_ending_a_phrase_is_found():
    assert trailing_name("連携中枢都市宣言を行った前橋市") == "前橋市"
    assert trailing_name("と、ときがわ町") == "ときがわ町"


def test_names_before_the_last_to_stand_alone_and_the_rest_form_the_group():
    text = "前橋市と渋川市、榛東村及び吉岡町"
    assert split_pair(text, split_names(text)) == ["前橋市", ["渋川市", "榛東村", "吉岡町"]]
    text = "桐生市、みどり市及び大泉町"
    assert split_pair(text, split_names(text)) == [["桐生市", "みどり市", "大泉町"]]


@pytest.mark.parametrize(("text", "name"), [
    ("とときがわ町", "ときがわ町"), ("及びときがわ町", "ときがわ町"), ("、杉並区", "杉並区"), ("とは東松山市", "東松山市")])
def test_a_connective_before_a_name_is_stripped_but_never_the_name(text, name):
    assert strip_connectives(text) == name


UNIQUE_NAMES = sorted({m.name for m in _records()} - {
    name for name in {m.name for m in _records()} if sum(1 for m in _records() if m.name == name) > 1})
CONNECTIVES = ["と", "及び", "並びに", "、", "・", " 及び ", "，"]


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(st.lists(st.sampled_from(UNIQUE_NAMES), min_size=2, max_size=6, unique=True),
       st.lists(st.sampled_from(CONNECTIVES), min_size=5, max_size=5))
def test_any_list_of_real_names_splits_back_into_its_names(names, connectives):
    text = names[0] + "".join(c + n for c, n in zip(connectives, names[1:], strict=False))
    assert split_names(text) == names


def test_a_party_named_tokigawa_keeps_its_name_in_a_group():
    text = ("○東松山市と滑川町及びときがわ町との連携協約\n"
            "東松山市（以下「中心市」という。）と滑川町及びときがわ町（以下「連携町」という。）とは、"
            "地方自治法第252条の2第1項の規定に基づき、次のとおり連携協約を締結する。\n"
            "（目的）\n第1条 この連携協約は、中心市と連携町の連携を目的とする。\n")
    agreement = parse_bytes(text.encode(), name="group.txt")
    assert [(p.designation, p.name, p.code, p.role) for p in agreement.parties] == [
        ("", "東松山市", "112127", "core-city"), ("", "滑川町", "113417", "partner"), ("", "ときがわ町", "113492", "partner")]
