"""Property-based: mutated and truncated agreements never crash the parser — it returns a model
(with diagnostics) or raises the project's own InputError."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyoyaku.errors import InputError
from kyoyaku.text.parse import parse_bytes

from ..conftest import FIXTURES, SEED

SOURCES = [SEED.read_bytes()] + [p.read_bytes() for p in sorted((FIXTURES / "family").glob("*.txt"))]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_or_own_error(data: bytes) -> None:
    try:
        agreement = parse_bytes(data, name="mutated.txt")
    except InputError as e:
        assert "mutated.txt" in str(e)
        return
    agreement.to_dict()  # the JSON view must be buildable too


@SETTINGS
@given(source=st.sampled_from(SOURCES), cut=st.floats(0, 1))
def test_truncated(source, cut):
    parse_or_own_error(source[: int(len(source) * cut)])


@SETTINGS
@given(source=st.sampled_from(SOURCES), data=st.data())
def test_lines_dropped_or_repeated(source, data):
    lines = source.split(b"\n")
    picks = data.draw(st.lists(st.integers(0, len(lines) - 1), max_size=8))
    for i in sorted(set(picks), reverse=True):
        if data.draw(st.booleans()):
            del lines[i]
        else:
            lines.insert(i, lines[i])
    parse_or_own_error(b"\n".join(lines))


@SETTINGS
@given(source=st.sampled_from(SOURCES), edits=st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=6)), max_size=6))
def test_bytes_mutated(source, edits):
    data = bytearray(source)
    for where, insert in edits:
        i = int(len(data) * where)
        data[i:i + len(insert)] = insert
    parse_or_own_error(bytes(data))


@SETTINGS
@given(text=st.text(alphabet=st.sampled_from(list("甲乙丙（）「」以下という。第条12３四年月日令和別表区分\t\n の役割主体的に長市町")), max_size=400))
def test_agreement_like_noise(text):
    parse_or_own_error(text.encode("utf-8"))
