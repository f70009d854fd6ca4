"""Benchmark: parsing the forms real copies take, as a ratio to parsing the tidy texts (issue 17).

    .venv/bin/python benchmarks/parse_forms.py              # every form alone, then combinations; < 1 min
    .venv/bin/python benchmarks/parse_forms.py --combinations 20 --repeat 5

The tidy corpus is the seed and every text of tests/fixtures/family and tests/fixtures/forms that
the parser reads as an agreement (all SYNTHETIC but the seed and its copies); the facts the
transformations need are taken from its parse. Each text is given every form of
kyoyaku.text.realforms alone (parameters from a Random seeded by the form's and the text's name)
and `--combinations` random combinations (a structure — cover, 例規集 header or bill — or none, then
any of the forms of later layers, layer by layer as the invariance test composes them; Random
seeded by `--seed`). Times are CPU times of this process (time.process_time), the best of `--repeat` passes
over the corpus, so other work on the machine does not count; the tidy corpus is timed in the same
run. A transformed text the parser refuses (InputError) counts with the time it took to refuse it.

Printed as Markdown: per form, the documents, the characters as a ratio to the tidy texts', the
parse time of the transformed corpus and its ratio to the tidy corpus's, how many it refused and
how many it crashed on (any exception but InputError: a bug). Exit 1 when the parser crashed, each
crash listed (form, document, exception).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

from kyoyaku.errors import InputError
from kyoyaku.text.decode import decode
from kyoyaku.text.parse import parse_bytes
from kyoyaku.text.realforms import FORMS, facts_of, transform

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "mito-omitama-2022-02-21.txt"
FIXTURES = ROOT / "tests" / "fixtures"
STRUCTURES = ("cover", "reiki_header", "bill")


def tidy_corpus() -> list[tuple[str, str, object]]:
    """(name, text, facts) of the seed and every fixture text the parser reads as an agreement."""
    corpus = []
    for path in [SEED] + sorted((FIXTURES / "family").glob("*.txt")) + sorted((FIXTURES / "forms").glob("*.txt")):
        data = path.read_bytes()
        try:
            agreement = parse_bytes(data, name=path.name)
        except InputError:
            continue  # not an agreement, or a form not read yet: no facts to transform with
        text = decode(data, path.name)[0].replace("\r\n", "\n")
        corpus.append((f"{path.parent.name}/{path.name}", text, facts_of(agreement.to_dict())))
    return corpus


def combination(rng: random.Random, facts) -> list[tuple[str, dict]]:
    """A structure or none, then a random subset of the forms of later layers (the closing date
    dropped, characters, lines, one line), ordered by layer."""
    structure = rng.choice(STRUCTURES + (None,))
    others = [n for n in FORMS if FORMS[n].layer >= FORMS["drop_closing_date"].layer]
    names = ([structure] if structure else []) + rng.sample(others, rng.randint(1, len(others)))
    names.sort(key=lambda n: FORMS[n].layer)
    return [(n, FORMS[n].draw(rng, facts)) for n in names]


def parse_all(texts: list[bytes]) -> tuple[int, list[str]]:
    """Parse every text: the number refused (InputError) and, for each text the parser crashed on
    (any other exception, a bug: exit 2 with one line is the contract), `index: exception`."""
    refused, crashed = 0, []
    for i, data in enumerate(texts):
        try:
            parse_bytes(data, name="form.txt")
        except InputError:
            refused += 1
        except Exception as e:  # noqa: BLE001 — counted and named, so one crash does not hide the rest
            crashed.append(f"{i}: {type(e).__name__}: {e}")
    return refused, crashed


def best_time(texts: list[bytes], repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.process_time()  # CPU time: other processes on the machine do not count
        parse_all(texts)
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--combinations", type=int, default=10, help="random combinations per text (default 10)")
    p.add_argument("--repeat", type=int, default=5, help="passes over each corpus, the best counts (default 5)")
    p.add_argument("--seed", type=int, default=17, help="seed of the combinations (default 17)")
    args = p.parse_args()

    corpus = tidy_corpus()
    tidy = [text.encode("utf-8") for _, text, _ in corpus]
    tidy_chars = sum(len(text) for _, text, _ in corpus)
    tidy_time = best_time(tidy, args.repeat)
    print(f"# Parsing the forms of real copies\n\nTidy corpus: {len(tidy)} texts, {tidy_chars:,} characters, "
          f"parsed in {tidy_time * 1000:.1f} ms (best of {args.repeat}).\n")
    print("| form | texts | characters × tidy | parse time | × tidy corpus | refused | crashed |\n"
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    crashes = []

    def row(label: str, texts: list[str], names: list[str], base_chars: int, base_time: float) -> None:
        data = [t.encode("utf-8") for t in texts]
        elapsed = best_time(data, args.repeat)
        refused, crashed = parse_all(data)
        crashes.extend(f"{label} on {names[int(c.split(':', 1)[0])]}:{c.split(':', 1)[1]}" for c in crashed)
        print(f"| {label} | {len(texts)} | {sum(map(len, texts)) / base_chars:.2f} | {elapsed * 1000:.1f} ms "
              f"| {elapsed / base_time:.2f} | {refused} | {len(crashed)} |", flush=True)

    names = [doc for doc, _, _ in corpus]
    for name, form in FORMS.items():
        texts = [transform(text, facts, [(name, form.draw(random.Random(f"{name}:{doc}"), facts))])
                 for doc, text, facts in corpus]
        row(f"`{name}`", texts, names, tidy_chars, tidy_time)
    rng = random.Random(args.seed)
    plans = [(doc, text, facts, combination(rng, facts)) for doc, text, facts in corpus for _ in range(args.combinations)]
    row(f"{args.combinations} combinations per text", [transform(text, facts, steps) for _, text, facts, steps in plans],
        [f"{doc} with {[n for n, _ in steps]}" for doc, _, _, steps in plans], tidy_chars * args.combinations,
        tidy_time * args.combinations)
    if crashes:
        print(f"\n{len(crashes)} crash(es) of the parser (a traceback where exit 2 or a model is due):")
        for crash in crashes:
            print(f"- {crash}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
