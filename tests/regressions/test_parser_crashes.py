"""Inputs that crashed the parser, each the smallest that did, as bytes (all SYNTHETIC). Found by
benchmarks/fuzz.py (docs/fuzzing.md), or while fixing what it found. Each must now be refused with
kyoyaku's own InputError naming the file and the line — by `kyoyaku parse` too, with exit 2 and one
line on stderr — or give a result."""

import pytest

from kyoyaku.cli import main
from kyoyaku.errors import InputError
from kyoyaku.text.dates import to_iso
from kyoyaku.text.layout import split_table
from kyoyaku.text.parse import parse_bytes

HEAD = "協約\nA市（以下「甲」という。）\n".encode()  # the least the reader needs before the articles

NUMBER = "a number in Arabic or kanji numerals (12, 十二) of at most 100 digits"
CRASHES = [
    # layout.split_table: a run-on line whose 別表 has 区分 but no column after it — range() with step 0
    # (ValueError: range() arg 3 must not be zero). Found by the first quick fuzz run (byte mutation).
    pytest.param("a 第1条 b 第2条 c 別表 区分 d".encode(), 1, "a 連携協約 or 定住自立圏形成協定", id="table-without-columns"),
    # parse.to_int: a paragraph number of 4,301 digits — int() refuses more than 4,300 digits
    # (ValueError: Exceeds the limit (4300 digits) for integer string conversion). Found by long_lines.
    pytest.param(HEAD + "第1条 x\n".encode() + b"1" * 4301 + b" x", 4, NUMBER, id="paragraph-number-4301-digits"),
    # parse.to_int: kanji numerals that are no number (kanjize.kanji2number: ValueError "Kanji `十十` seems to
    # be invalid"). Found by checking every numeral of up to 4 characters after the crash above; the
    # seed_like and generated strategies find it too.
    pytest.param(HEAD + "第十十条 x".encode(), 3, NUMBER, id="article-number-not-a-number"),
    # parse.to_int: 4,301 kanji ones, a number of 4,301 digits: kanjize.kanji2number raises ValueError. Found
    # with the one above, trying the longest numerals the article pattern accepts.
    pytest.param(HEAD + ("第" + "一" * 4301 + "条").encode(), 3, NUMBER, id="article-number-4301-kanji"),
    # The same in a period of lapse (起算してN年を経過した日, read_termination_terms): found reviewing every
    # caller of to_int.
    pytest.param(HEAD + "（変更）\n第1条 起算して十十年を経過した日\n".encode(), 4, NUMBER, id="lapse-not-a-number"),
]


@pytest.mark.parametrize(("data", "line", "expected"), CRASHES)
def test_a_former_crash_is_an_input_error_naming_file_and_line(data, line, expected):
    with pytest.raises(InputError) as info:
        parse_bytes(data, name="crash.txt")
    assert (info.value.path, info.value.line) == ("crash.txt", line)
    assert info.value.expected.startswith(expected)


@pytest.mark.parametrize(("data", "line", "expected"), CRASHES)
def test_kyoyaku_parse_exits_2_with_one_line(data, line, expected, tmp_path, capsys):
    path = tmp_path / "crash.txt"
    path.write_bytes(data)
    assert main(["parse", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"kyoyaku: {path}:{line}: expected {expected}") and err.count("\n") == 1


def test_a_table_without_columns_is_text():
    # the helper itself (layout.split_table), fed the 別表 piece of the first crash
    assert split_table("別表 区分 d。 e") == ["別表", "区分 d。", "e"]


@pytest.mark.parametrize(
    "parts",
    [
        # dates.to_iso on numerals find_era_date never passes it: str.isdigit() is true for '፩' (ETHIOPIC
        # DIGIT ONE) and '²' but int() refuses them (ValueError) — found by the helpers strategy; a
        # 100-digit year beside kanji made kanjize.number2kanji fail (IndexError) — found checking its range.
        ("令和", "፩", "1", "1"),
        ("令和", "1", "²", "1"),
        ("令和", "1" * 100, "二", "1"),
    ],
)
def test_to_iso_of_numerals_it_does_not_read_is_none(parts):
    assert to_iso(*parts) is None
