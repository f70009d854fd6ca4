"""The tree reads as the data flow (docs/architecture.md): each stage imports only from the stages
before it, and no modules import each other in a circle.

Every import statement of src/kyoyaku is read with `ast` — relative and absolute, at the top of a
module or inside a function (the lazy imports that keep the command line fast count as much as
the others). The same layers are a contract of import-linter (`[tool.importlinter]` in
pyproject.toml), run here through its `lint-imports` command."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

SRC = ROOT / "src"
PACKAGE = SRC / "kyoyaku"
# The layers in data-flow order: a module may import from its own layer and the layers before it.
# The package itself (kyoyaku/__init__.py, the public API) loads the others on demand; what it
# holds that any module may import is its __version__.
LAYERS = [
    {"errors"},
    {"config", "outputs", "progress", "resources"},
    {"text"},
    {"graph"},
    {"registry"},
    {"shacl"},
    {"sparql"},
    {"publish"},
    {"serve"},
    {"pipeline"},
    {"cli", "api"},
]
ROOT_MODULE = "kyoyaku"
FROM_ROOT = {"__version__"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> list[tuple[str, set[str], int]]:
    """(imported module, names imported from it, line) for every import of kyoyaku in `path`."""
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, set(), node.lineno) for alias in node.names if alias.name.split(".")[0] == ROOT_MODULE]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == ROOT_MODULE:
                target = node.module
            else:
                continue
            names = {alias.name for alias in node.names}
            submodules = {n for n in names if f"{target}.{n}" in known}  # `from . import figures`
            found += [(f"{target}.{n}", set(), node.lineno) for n in sorted(submodules)]
            if names - submodules or not submodules:
                found.append((target, names - submodules, node.lineno))
    return found


def graph() -> dict[str, list[tuple[str, set[str], int]]]:
    known = set(modules())
    return {name: imports(name, path, known) for name, path in modules().items()}


def layer(module: str) -> int | None:
    stage = module.split(".")[1] if "." in module else None
    return next((i for i, names in enumerate(LAYERS) if stage in names), None)


def against_the_flow(edges, paths: dict[str, Path]) -> list[str]:
    """Imports of a later stage, or of the package's API from inside it (`paths`: module → file)."""
    wrong = []
    for module, targets in edges.items():
        for target, names, line in targets:
            where = f"{paths[module].relative_to(ROOT)}:{line}: {module} imports {target}"
            if module == ROOT_MODULE:
                continue  # the public API may load any stage
            if target == ROOT_MODULE:
                if not names or names - FROM_ROOT:
                    wrong.append(f"{where} ({', '.join(sorted(names)) or 'the package'}): only "
                                 f"{', '.join(sorted(FROM_ROOT))} may be imported from the package itself")
            elif layer(target) > layer(module):
                wrong.append(f"{where}, a later stage")
    return wrong


def circles(edges) -> list[list[str]]:
    """The import circles: strongly connected components of more than one module, or a module
    importing itself (Tarjan's algorithm, without recursion)."""
    successors = {m: sorted({t for t, _, _ in targets if t in edges}) for m, targets in edges.items()}
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], 0
    for start in sorted(successors):
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            if i < len(successors[node]):
                work.append((node, i + 1))
                child = successors[node][i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in successors[node]:
                    found.append(sorted(component))
    return found


def test_every_module_belongs_to_a_stage():
    unplaced = [m for m in modules() if m != ROOT_MODULE and layer(m) is None]
    assert unplaced == [], f"modules in no layer of tests/test_architecture.py and pyproject.toml: {unplaced}"


def test_no_module_imports_a_later_stage():
    assert against_the_flow(graph(), modules()) == []


def test_no_import_circles():
    assert circles(graph()) == []


def test_the_import_reader_sees_lazy_relative_and_absolute_imports():
    edges = graph()
    pipeline = {target for target, _, _ in edges["kyoyaku.pipeline"]}
    assert "kyoyaku.sparql.store" in pipeline  # imported inside build(), when the store is written
    assert "kyoyaku.publish.catalog" in pipeline  # `from .publish import catalog`: the submodule
    assert {"kyoyaku.errors", "kyoyaku.outputs"} <= pipeline
    assert ("kyoyaku", {"__version__"}) in [(target, names) for target, names, _ in edges["kyoyaku.sparql.http"]]
    assert "kyoyaku.graph.mapping" in {target for target, _, _ in edges["kyoyaku.shacl.report"]}  # `..graph`


def test_the_checks_find_a_back_import_and_a_circle():
    """What the two tests above report, on a made-up graph."""
    edges = {"kyoyaku.text.parse": [("kyoyaku.publish.writers", set(), 3)],
             "kyoyaku.publish.writers": [("kyoyaku.text.parse", set(), 5), ("kyoyaku", {"build"}, 6)]}
    paths = {"kyoyaku.text.parse": PACKAGE / "text" / "parse.py",
             "kyoyaku.publish.writers": PACKAGE / "publish" / "writers.py"}
    assert against_the_flow(edges, paths) == [
        "src/kyoyaku/text/parse.py:3: kyoyaku.text.parse imports kyoyaku.publish.writers, a later stage",
        ("src/kyoyaku/publish/writers.py:6: kyoyaku.publish.writers imports kyoyaku (build): only __version__ "
         "may be imported from the package itself"),
    ]
    assert circles(edges) == [["kyoyaku.publish.writers", "kyoyaku.text.parse"]]


def test_import_linter_keeps_the_layers_contract():
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if command is None:
        pytest.skip("lint-imports is not installed (it comes with the test extra: pip install -e '.[test]')")
    done = subprocess.run([command, "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 1 kept, 0 broken." in done.stdout
