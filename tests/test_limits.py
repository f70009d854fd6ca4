"""Input limits: a source over 5,000,000 bytes (--max-bytes, KYOYAKU_MAX_BYTES) or with a line over
100,000 characters (KYOYAKU_MAX_LINE_CHARS) is refused with exit 2 and one line naming the file, the
line, the limit and how to raise it — checked in kyoyaku.text.parse, for `parse` and `build` alike.

The large files are SYNTHETIC: the real seed with its own 別表 rows repeated (or filler added)."""

import shutil
import subprocess
import sys

import pytest

from kyoyaku.cli import main
from kyoyaku.errors import InputError, UsageError
from kyoyaku.text.decode import MAX_BYTES, MAX_DOCUMENT_BYTES, MAX_LINE_CHARS
from kyoyaku.text.parse import parse_bytes, parse_file

from .conftest import SEED

SIZE_MESSAGE = ("expected a file of at most 5,000,000 bytes (raise the limit with --max-bytes or KYOYAKU_MAX_BYTES), "
                "found 'more than 5,000,000 bytes'")
LINE_MESSAGE = ("expected lines of at most 100,000 characters (raise the limit with KYOYAKU_MAX_LINE_CHARS), "
                "found 'a line of 100,001 characters'")


def seed_with_rows(size: int) -> bytes:
    """The seed with its 別表 rows repeated at the end, then padded with newlines to exactly `size` bytes:
    an agreement that parses without errors."""
    text = SEED.read_text(encoding="utf-8").rstrip("\n") + "\n"
    rows = "".join(line + "\n" for line in text.split("\n") if line.count("\t") == 3 and not line.startswith("区分"))
    data = (text + rows * ((size - len(text.encode())) // len(rows.encode()))).encode()
    assert len(data) <= size
    return data + b"\n" * (size - len(data))


@pytest.fixture(scope="module")
def over_limit(tmp_path_factory):
    path = tmp_path_factory.mktemp("limits") / "over.txt"
    path.write_bytes(seed_with_rows(MAX_BYTES + 1))
    return path


@pytest.fixture(autouse=True)
def no_limits_from_the_environment(monkeypatch):
    monkeypatch.delenv("KYOYAKU_MAX_BYTES", raising=False)
    monkeypatch.delenv("KYOYAKU_MAX_LINE_CHARS", raising=False)


def parse_exit(capsys, *args) -> tuple[int, str]:
    code = main(["parse", *map(str, args), "--format", "text"])
    return code, capsys.readouterr().err


def test_the_defaults():
    assert (MAX_BYTES, MAX_DOCUMENT_BYTES, MAX_LINE_CHARS) == (5_000_000, 100_000_000, 100_000)


@pytest.mark.parametrize("head", [b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"PK\x03\x04"])
def test_a_pdf_image_or_word_document_over_5_mb_is_read_not_refused_for_its_size(tmp_path, capsys, head, monkeypatch):
    """A ten-page scan passes 5 MB: a PDF, an image or a Word document has its own default limit
    (100 MB); the same bytes over a limit set by KYOYAKU_MAX_BYTES are refused for their size."""
    path = tmp_path / "scan.bin"
    path.write_bytes(head + b"\xff" * (MAX_BYTES + 1))
    code, err = parse_exit(capsys, path)
    assert code == 2 and "raise the limit" not in err  # read by its reader, which refuses it as broken
    assert err.startswith(f"kyoyaku: {path}: expected ") and err.count("\n") == 1
    monkeypatch.setenv("KYOYAKU_MAX_BYTES", str(MAX_BYTES))
    code, err = parse_exit(capsys, path)
    assert (code, err) == (2, f"kyoyaku: {path}: {SIZE_MESSAGE}\n")


def test_a_file_one_byte_over_5_mb_exits_2_naming_file_and_limit(over_limit, capsys):
    code, err = parse_exit(capsys, over_limit)
    assert code == 2
    assert err == f"kyoyaku: {over_limit}: {SIZE_MESSAGE}\n"


def test_the_size_limit_in_a_real_process_one_line_no_traceback(over_limit):
    done = subprocess.run([sys.executable, "-m", "kyoyaku.cli", "parse", str(over_limit)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"kyoyaku: {over_limit}: {SIZE_MESSAGE}\n")


def test_a_4_9_mb_agreement_is_not_refused(tmp_path):
    path = tmp_path / "large.txt"
    path.write_bytes(seed_with_rows(4_900_000))
    agreement = parse_file(path)
    assert agreement.source.byte_size == 4_900_000
    assert not [d for d in agreement.diagnostics if d.level == "error"]
    assert len(agreement.initiatives) > 15_000  # the seed's 16 rows, repeated
    assert [i.number for i in agreement.initiatives[:3]] == [1, 2, 3]


def test_max_bytes_option_and_variable_raise_the_limit(over_limit, capsys, monkeypatch):
    assert parse_exit(capsys, over_limit, "--max-bytes", 5_000_001) == (0, "")
    monkeypatch.setenv("KYOYAKU_MAX_BYTES", "6000000")
    assert parse_exit(capsys, over_limit) == (0, "")
    code, err = parse_exit(capsys, over_limit, "--max-bytes", 5_000_000)  # the option wins over the variable
    assert code == 2 and "at most 5,000,000 bytes" in err


def test_max_bytes_can_also_lower_the_limit(capsys):
    code, err = parse_exit(capsys, SEED, "--max-bytes", 1000)
    assert code == 2
    assert err.startswith(f"kyoyaku: {SEED}: expected a file of at most 1,000 bytes (raise the limit with --max-bytes")


@pytest.mark.parametrize("value", ["0", "-5", "5MB", ""])
def test_max_bytes_must_be_a_positive_number(value, capsys):
    with pytest.raises(SystemExit) as info:
        main(["parse", str(SEED), "--max-bytes", value])
    assert info.value.code == 2 and "--max-bytes: expected a whole number of bytes" in capsys.readouterr().err


def test_a_bad_variable_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setenv("KYOYAKU_MAX_BYTES", "lots")
    code, err = parse_exit(capsys, SEED)
    assert code == 2 and err == "kyoyaku: KYOYAKU_MAX_BYTES='lots': expected a whole number\n"
    with pytest.raises(UsageError):
        parse_bytes(b"", name="x.txt")


def seed_with_line(length: int) -> tuple[bytes, int]:
    """The seed with a line of `length` characters inserted as its 12th line."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    lines.insert(11, "あ" * length)
    return "\n".join(lines).encode(), 12


def test_a_line_over_100000_characters_exits_2_naming_the_line(tmp_path, capsys):
    data, line = seed_with_line(100_001)
    path = tmp_path / "long.txt"
    path.write_bytes(data)
    code, err = parse_exit(capsys, path)
    assert code == 2
    assert err == f"kyoyaku: {path}:{line}: {LINE_MESSAGE}\n"


@pytest.mark.parametrize(("ending", "expected_line"), [(b"\r\n", 3), (b"\r", 3), (b"\n\x0c", 5)])
def test_the_long_line_is_numbered_as_the_reader_numbers_lines(ending, expected_line):
    data = ending.join([b"a", b"b", "い".encode() * 100_001, b"c"])
    with pytest.raises(InputError) as info:
        parse_bytes(data, name="x.txt")
    assert info.value.line == expected_line and "a line of 100,001 characters" in str(info.value)


def test_a_line_of_exactly_100000_characters_is_read(capsys, tmp_path):
    data, _ = seed_with_line(100_000)
    agreement = parse_bytes(data, name="x.txt")
    assert agreement.title == "いばらき県央地域連携中枢都市圏の形成に関する連携協約書"


def test_the_line_limit_can_be_raised(monkeypatch):
    data, _ = seed_with_line(100_001)
    assert parse_bytes(data, name="x.txt", max_line_chars=100_001).title
    monkeypatch.setenv("KYOYAKU_MAX_LINE_CHARS", "200000")
    assert parse_bytes(data, name="x.txt").title


def test_build_applies_the_limit_and_its_option(tmp_path, capsys):
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(SEED, sources / SEED.name)
    code = main(["build", "--sources", str(sources), "--out", str(tmp_path / "dist"), "--no-registry", "--quiet",
                 "--max-bytes", "1000"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"kyoyaku: {sources / SEED.name}: expected a file of at most 1,000 bytes")
    assert not (tmp_path / "dist").exists()
