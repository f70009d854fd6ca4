"""Where the shipped ontology, shapes, queries and mapping table live.

In a wheel they are packaged under `kyoyaku/_resources/`; in a source checkout (editable
install, tests) they are the repository's own `ontology/`, `queries/` and `data/` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).parent / "_resources"
_CHECKOUT = Path(__file__).resolve().parents[2]


def resource(relative: str) -> Path:
    for root in (_PACKAGED, _CHECKOUT):
        candidate = root / relative
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"kyoyaku resource {relative!r} is missing from this installation")


def ontology_dir() -> Path:
    return resource("ontology")


def queries_dir() -> Path:
    return resource("queries")


# concept scheme (its IRI segment under concept/) → the table mapping 区分 to its concepts
MAPPING_TABLES = {
    "policy-field": "data/policy-field-mapping.csv",  # national fields, every agreement
    "teiju-policy-field": "data/teiju-policy-field-mapping.csv",  # 定住自立圏 policy areas, its 協定 only
}


def mapping_table(scheme: str) -> Path:
    return resource(MAPPING_TABLES[scheme])
