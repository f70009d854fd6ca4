"""Writes geoshape-city-current.csv beside this file from the geoshape-city.csv that pygeonlp ships
(its sdist's base_data/): the rows of today's municipalities, unchanged, in the file's order.

A row is a municipality of today when its entry_id is its own 団体コード (5 digits, without the check
digit) + "A" + a year — the form the dataset gives the municipalities of the 国土数値情報 period — and it
has no valid_to (end date). The header and the selected lines are copied byte for byte (CRLF kept).

    python data/municipal-points/extract.py PATH/TO/pygeonlp-1.2.5/base_data/geoshape-city.csv
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("geoshape-city-current.csv")
TODAY = re.compile(r"(?P<code>\d{5})A\d{4}")


def current_lines(source: Path) -> list[bytes]:
    lines = source.read_bytes().splitlines(keepends=True)
    header = next(csv.reader([lines[0].decode("utf-8")]))
    kept = [lines[0]]
    for line in lines[1:]:
        row = dict(zip(header, next(csv.reader([line.decode("utf-8")])), strict=True))
        match = TODAY.fullmatch(row["entry_id"])
        if match and match["code"] == row["code"].split("/")[0] and not row["valid_to"]:
            kept.append(line)
    return kept


if __name__ == "__main__":
    lines = current_lines(Path(sys.argv[1]))
    OUT.write_bytes(b"".join(lines))
    print(f"{OUT.name}: {len(lines) - 1} municipalities")
