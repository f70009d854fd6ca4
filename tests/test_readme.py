"""The README is the front door: its Quickstart holds exactly two commands (and .ci/run runs the
second), its Commands section lists every command in the order of the workflow with a link to the
command's page under docs/commands/, every relative link of the README and docs/ leads somewhere,
the paths they name exist, and the Layout section matches the tree."""

import argparse
import re
from pathlib import Path

import pytest

from .conftest import ROOT

# The order a newcomer meets the commands in: the pipeline first, then the helpers.
WORKFLOW = ["build", "parse", "validate", "query", "report", "serve", "push", "queries", "import-registry", "render"]
README_MAX_LINES = 150


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The body of the `## heading` section, up to the next `## `."""
    assert f"\n## {heading}\n" in text, heading
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def quickstart_commands() -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section(readme(), "Quickstart"), flags=re.DOTALL)]


def test_quickstart_has_two_commands():
    commands = quickstart_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert commands[0].endswith("kyoyaku build")
    assert commands[1].endswith("pytest")


def test_ci_runs_the_readme_test_command():
    assert quickstart_commands()[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def subcommands() -> list[str]:
    from kyoyaku.cli import parser

    (action,) = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return list(action.choices)


def without_code_blocks(text: str) -> str:
    """The text with fenced code blocks blanked (a `# comment` in a block is no heading, a `[x](y)` no link)."""
    return re.sub(r"^```.*?^```[ \t]*$", "", text, flags=re.DOTALL | re.MULTILINE)


def headings(text: str) -> list[str]:
    return re.findall(r"^#{1,6} +(.+?) *#* *$", without_code_blocks(text), flags=re.MULTILINE)


def test_every_command_has_a_page_whose_title_names_it():
    pages = ROOT / "docs" / "commands"
    for name in subcommands():
        page = pages / f"{name}.md"
        assert page.is_file(), f"{page.relative_to(ROOT)} is missing"
        title = headings(page.read_text(encoding="utf-8"))[0]
        assert re.search(rf"\bkyoyaku {re.escape(name)}(?![\w-])", title), (name, title)


def test_no_page_for_a_command_that_does_not_exist():
    pages = {p.stem for p in (ROOT / "docs" / "commands").glob("*.md")} - {"README"}
    assert pages == set(subcommands())


def readme_command_links() -> list[tuple[str, str]]:
    """(command named, page linked) for each item of the README's Commands list, in order."""
    return re.findall(r"^- \[`kyoyaku ([\w-]+)`\]\(docs/commands/([\w-]+)\.md\)",
                      section(readme(), "Commands"), flags=re.MULTILINE)


def test_readme_lists_every_command_in_workflow_order_with_its_page():
    assert sorted(WORKFLOW) == sorted(subcommands()), "a command is missing from WORKFLOW, or WORKFLOW names one gone"
    links = readme_command_links()
    assert [named for named, _ in links] == WORKFLOW
    assert all(named == page for named, page in links), links


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def github_anchors(text: str) -> set[str]:
    """The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as
    hyphens, and -1, -2 … after a repeated one."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for heading in headings(text):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


def relative_links(text: str) -> list[str]:
    """The targets of the Markdown links that are not URLs (`[text](target)`, outside code)."""
    prose = re.sub(r"`[^`\n]*`", "", without_code_blocks(text))  # `( … )` in code is no link
    targets = re.findall(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", prose)
    return [t for t in targets if not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", t)]


def broken_links(document: Path) -> list[str]:
    broken = []
    for target in relative_links(document.read_text(encoding="utf-8")):
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        if not linked.exists() or not linked.is_relative_to(ROOT):
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in github_anchors(linked.read_text(encoding="utf-8")):
            broken.append(f"{target}: no heading with this anchor in {linked.relative_to(ROOT)}")
    return broken


@pytest.mark.parametrize("document", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading(document):
    assert broken_links(document) == []


def test_every_repository_path_the_docs_name_exists():
    """A path in prose (`tests/test_build.py`, `data/registry/README.md`) outlives a link: it must
    still be there after files move. Globs and templates (`concepts-*.ttl`, `{valid,invalid}/`) are
    left out."""
    path = re.compile(r"(?<![\w./-])((?:src|tests|docs|benchmarks|queries|ontology|data|\.ci)/[\w./-]*(?:/|\.\w+))"
                      r"(?![\w*{-])")
    missing = [f"{document.relative_to(ROOT)}: {named}"
               for document in documents()
               for named in path.findall(document.read_text(encoding="utf-8"))
               if not (ROOT / named).exists()]
    assert missing == []


def test_readme_is_short():
    assert len(readme().splitlines()) <= README_MAX_LINES


def layout() -> list[tuple[int, str, str]]:
    """The README's Layout block as (indent, name, description with its continuation lines)."""
    block = re.search(r"```\n(.*?)```", section(readme(), "Layout"), flags=re.DOTALL).group(1)
    entries: list[tuple[int, str, str]] = []
    for line in block.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        name, _, description = line.strip().partition("  ")
        if indent > 2:  # a description carried over from the line above
            entries[-1] = (entries[-1][0], entries[-1][1], f"{entries[-1][2]} {line.strip()}")
        else:
            entries.append((indent, name, description.strip()))
    return entries


FILE_OR_FOLDER = re.compile(r"(?<![\w./*-])([\w-]+(?:/[\w-]+)*(?:/|\.(?:py|md|rq|ttl|csv|txt)))(?![\w*{-])")


def named_paths(entry: str, description: str) -> list[str]:
    """Paths a top-level entry's description names that do not exist, relative to the entry or the root."""
    return [named for named in FILE_OR_FOLDER.findall(description)
            if not (ROOT / entry / named).exists() and not (ROOT / named).exists()]


def test_layout_names_existing_folders_and_every_docs_page_and_benchmark():
    top = {name: description for indent, name, description in layout() if indent == 0}
    assert [name for name in top if not (ROOT / name).is_dir()] == []
    for entry in set(top) - {"src/kyoyaku/", "tests/"}:  # those two move with the package split (below)
        assert named_paths(entry, top[entry]) == [], entry
    docs = set(FILE_OR_FOLDER.findall(top["docs/"]))
    assert {p.name + ("/" if p.is_dir() else "") for p in (ROOT / "docs").iterdir()
            if p.name != "__pycache__"} == docs
    assert {p.name for p in (ROOT / "benchmarks").glob("*.py")} == set(FILE_OR_FOLDER.findall(top["benchmarks/"]))


def test_layout_names_every_package_and_module_of_src():
    package = ROOT / "src" / "kyoyaku"
    named = [part.strip() for indent, name, _ in layout() if indent == 2 for part in name.split(",")]
    for name in named:
        stem = name.rstrip("/").removesuffix(".py")
        exists = (package / stem / "__init__.py").is_file() if name.endswith("/") else \
            (package / f"{stem}.py").is_file() if name.endswith(".py") else \
            (package / f"{stem}.py").is_file() or (package / stem / "__init__.py").is_file()
        assert exists, f"the Layout names src/kyoyaku/{name}, which is not there"
    stems = {name.rstrip("/").removesuffix(".py") for name in named}
    in_tree = {p.stem for p in package.glob("*.py") if p.name != "__init__.py"} | \
              {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert sorted(in_tree - stems) == [], "src/kyoyaku/ holds these, the Layout does not name them"
    tests = next(description for indent, name, description in layout() if indent == 0 and name == "tests/")
    assert named_paths("tests/", tests) == []
