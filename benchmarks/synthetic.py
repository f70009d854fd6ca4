"""SYNTHETIC agreements for benchmarks: fictional municipalities, never to be published with real data.

Deterministic: the same N gives the same agreements, byte for byte. Agreement i (0-based) is the
parsed seed agreement (data/sources/mito-omitama-2022-02-21.txt, 水戸市 × 小美玉市, 16 別表 rows),
rewritten as a 連携協約 between two fictional municipalities:

* areas of PARTNERS_PER_AREA agreements: area a = i // PARTNERS_PER_AREA has one core city and
  one partner per agreement, as a 連携中枢都市圏 has (the core city signs with each partner);
* municipality codes use prefecture codes 48–99, which no real prefecture has (real ones are
  01–47), with a valid check digit, so the SHACL shapes check them as they check real codes;
* names are marked 架空 ("fictional"): 架空中枢市0001 (core city of area 1), 架空市00001 (partner
  of agreement 1), prefecture 架空県48, area 架空0001地域連携中枢都市圏, signatories 架空 太郎 and
  架空 花子; the source file is SYNTHETIC-00001.txt and its digest is that of the seed text with
  the same names replaced;
* dates are spread over 2015–2024 (the date as written in 平成/令和 to match), so no two
  agreements share an IRI (https://w3id.org/kyoyaku/agreement/{core}-{partner}/{date});
* in row i mod 16 of the 別表 the partner leads instead of the core city, so the agreements do
  not all say the same thing.

Only the names, dates, codes and that one row change: every agreement has the seed's articles,
paragraphs, appendix sections, 16 initiatives, signatures and source lines, so it maps to the same
number of triples. Write the data only under a temporary directory (see `check_outside_project`),
never under data/ or dist/.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, timedelta
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "mito-omitama-2022-02-21.txt"
PARTNERS_PER_AREA = 10
FIRST_PREFECTURE = 48  # 01–47 are the real prefectures
CODES_PER_PREFECTURE = 999  # city part 001–999
FIRST_DATE = date(2015, 1, 1)
DAYS = 3652  # 2015-01-01 … 2024-12-31

# What the seed text says → what agreement i says instead ({…} filled per agreement).
SEED_CORE, SEED_PARTNER, SEED_AREA = "水戸市", "小美玉市", "いばらき県央地域連携中枢都市圏"
SEED_SIGNATORIES = {"高橋 靖": "架空 太郎", "島田 穰一": "架空 花子"}
SEED_DATE_AS_WRITTEN = "令和4年2月21日"
LEADS = "主体的に"


def fictional_code(serial: int) -> str:
    """The serial-th fictional 全国地方公共団体コード: prefecture 48–99, valid check digit."""
    from kyoyaku.text.municipalities import check_digit

    prefecture, city = divmod(serial, CODES_PER_PREFECTURE)
    if FIRST_PREFECTURE + prefecture > 99:
        raise ValueError(f"no fictional code left for serial {serial}")
    first_five = f"{FIRST_PREFECTURE + prefecture:02d}{city + 1:03d}"
    return first_five + str(check_digit(first_five))


def core_city(area: int):
    from kyoyaku.text.model import Municipality

    code = fictional_code(area * (PARTNERS_PER_AREA + 1))
    return Municipality(code=code, name=f"架空中枢市{area + 1:04d}", prefecture=f"架空県{code[:2]}")


def partner(i: int):
    from kyoyaku.text.model import Municipality

    area, position = divmod(i, PARTNERS_PER_AREA)
    code = fictional_code(area * (PARTNERS_PER_AREA + 1) + 1 + position)
    return Municipality(code=code, name=f"架空市{i + 1:05d}", prefecture=f"架空県{code[:2]}")


def area_name(area: int) -> str:
    return f"架空{area + 1:04d}地域連携中枢都市圏"


def agreement_date(i: int) -> date:
    return FIRST_DATE + timedelta(days=(i * 7919) % DAYS)  # 7919 is prime: dates spread, rarely repeat


def era_date(d: date) -> str:
    """As a Japanese text would write it: 平成 before 2019-05-01, then 令和 (元年 for the first)."""
    if d < date(2019, 5, 1):
        era, year = "平成", d.year - 1988
    else:
        era, year = "令和", d.year - 2018
    return f"{era}{'元' if year == 1 else year}年{d.month}月{d.day}日"


@cache
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@cache
def seed_agreement():
    """The real seed text, parsed (the only text the parser reads: its names are real)."""
    from kyoyaku.text.parse import parse_bytes

    return parse_bytes(seed_bytes(), SEED.name)


@dataclasses.dataclass(frozen=True)
class Values:
    """What differs from one synthetic agreement to the next."""

    core: object  # kyoyaku.text.model.Municipality
    partner: object
    area: str
    date: str  # ISO
    date_as_written: str
    source_name: str
    sha256: str
    byte_size: int


def replacements(i: int) -> list[tuple[str, str]]:
    """Seed text → agreement i's text."""
    area = i // PARTNERS_PER_AREA
    return _replacements(core_city(area).name, partner(i).name, area_name(area), era_date(agreement_date(i)))


def _replacements(core: str, partner_name: str, area: str, date_as_written: str) -> list[tuple[str, str]]:
    return [
        (SEED_AREA, area),
        (SEED_PARTNER, partner_name),  # before the core city: neither name contains the other
        (SEED_CORE, core),
        (SEED_DATE_AS_WRITTEN, date_as_written),
        *SEED_SIGNATORIES.items(),
    ]


def synthetic_text(i: int) -> bytes:
    """The seed text with agreement i's names and date: what its source file would hold."""
    text = seed_bytes().decode("utf-8")
    for old, new in replacements(i):
        text = text.replace(old, new)
    return text.encode("utf-8")


def values(i: int) -> Values:
    area = i // PARTNERS_PER_AREA
    d = agreement_date(i)
    data = synthetic_text(i)
    return Values(core=core_city(area), partner=partner(i), area=area_name(area), date=d.isoformat(),
                  date_as_written=era_date(d), source_name=f"SYNTHETIC-{i + 1:05d}.txt",
                  sha256=hashlib.sha256(data).hexdigest(), byte_size=len(data))


def _rewrite(value, replace):
    """A copy of a model object with every string passed through `replace`."""
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_rewrite(v, replace) for v in value]
    if dataclasses.is_dataclass(value):
        return type(value)(**{f.name: _rewrite(getattr(value, f.name), replace) for f in dataclasses.fields(value)})
    return value


def synthetic_agreement(i: int, seed=None):
    """Agreement i: the parsed seed rewritten as described in the module docstring."""
    return _agreement(i, values(i), seed)


def _agreement(i: int, v: Values, seed=None):
    from kyoyaku.text.model import SourceFile

    seed = seed if seed is not None else seed_agreement()
    pairs = _replacements(v.core.name, v.partner.name, v.area, v.date_as_written)

    def replace(text: str) -> str:
        for old, new in pairs:
            if old in text:
                text = text.replace(old, new)
        return text

    a = _rewrite(seed, replace)
    a.date = v.date
    for party in a.parties:
        party.municipality = v.core if party.role == "core-city" else v.partner
    a.source = SourceFile(name=v.source_name, sha256=v.sha256, byte_size=v.byte_size,
                          encoding=seed.source.encoding, media_type=seed.source.media_type)
    rows = a.initiatives
    row = rows[i % len(rows)]  # the partner leads this one
    for role in row.roles:
        if role.leads:
            role.leads, role.text = False, role.text.replace(LEADS, "")
        else:
            role.leads, role.text = True, role.text.replace("取り組む。", LEADS + "取り組む。")
    return a


def agreements(n: int) -> list:
    """The first n synthetic agreements (the same n always gives the same list)."""
    seed = seed_agreement()
    return [synthetic_agreement(i, seed) for i in range(n)]


# --- the same triples without the mapping, for sizes where building is too slow -------------------
#
# Agreement i's triples are those of a template — agreement i mod 16 mapped with placeholder values
# (codes, names, date, source) — with agreement i's values put in. `write_ntriples` gives exactly
# the triples of `kyoyaku.graph.mapping.to_graph` over `agreements(n)` (benchmarks/national.py checks this
# against the build's N-Triples at its smallest size) in a fraction of the time and memory.

def _placeholder_values():
    from kyoyaku.text.model import Municipality

    return Values(core=Municipality("QcoreQ", "QcoreNameQ", "QcorePrefQ"),
                  partner=Municipality("QpartQ", "QpartNameQ", "QpartPrefQ"),
                  area="QareaQ", date="QdateQ", date_as_written="QeraQ", source_name="QsrcQ",
                  sha256="QshaQ", byte_size=987654321)


@cache
def _templates() -> tuple[str, ...]:
    import logging

    from kyoyaku.graph.mapping import new_graph, to_graph
    from kyoyaku.graph.serialize import ntriples

    quiet = logging.getLogger("rdflib.term")
    level, quiet.level = quiet.level, logging.ERROR  # "QdateQ" is not a valid xsd:date lexical form
    try:
        rows = len(seed_agreement().initiatives)
        return tuple(ntriples(to_graph(_agreement(r, _placeholder_values()), new_graph())) for r in range(rows))
    finally:
        quiet.level = level


def ntriples_of(i: int) -> str:
    """Agreement i's triples (and those of its municipalities, area …) as N-Triples lines."""
    templates = _templates()
    v = values(i)
    text = templates[i % len(templates)]
    for old, new in (("QcoreNameQ", v.core.name), ("QcorePrefQ", v.core.prefecture), ("QcoreQ", v.core.code),
                     ("Qcore", v.core.code[:5]), ("QpartNameQ", v.partner.name),
                     ("QpartPrefQ", v.partner.prefecture), ("QpartQ", v.partner.code),
                     ("Qpart", v.partner.code[:5]), ("QareaQ", v.area), ("QdateQ", v.date),
                     ("QeraQ", v.date_as_written), ("QsrcQ", v.source_name), ("QshaQ", v.sha256),
                     ('"987654321"', f'"{v.byte_size}"')):
        text = text.replace(old, new)
    return text


def write_ntriples(n: int, path: Path) -> int:
    """The triples of the first n agreements as N-Triples (lines may repeat: shared nodes); bytes."""
    path = check_outside_project(path)
    size = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            size += out.write(ntriples_of(i))
    return size


def check_outside_project(path: Path) -> Path:
    """Refuse to write synthetic data inside the project tree (data/, dist/ …): temp dirs only."""
    path = Path(path).resolve()
    if path == ROOT or ROOT in path.parents:
        raise ValueError(f"{path}: synthetic data stay outside the project tree (use a temporary directory)")
    return path


if __name__ == "__main__":  # a look at the data: python benchmarks/synthetic.py 3
    import sys

    from kyoyaku.graph.mapping import agreement_iri

    for agreement in agreements(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        print(agreement_iri(agreement), agreement.date_as_written, agreement.title,
              [(p.municipality.code, p.municipality.name) for p in agreement.parties])
