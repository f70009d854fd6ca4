"""The README's Quickstart holds exactly two commands, and .ci/run runs the second one."""

import re

from .conftest import ROOT


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)]


def test_quickstart_has_two_commands():
    commands = quickstart_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert commands[0].endswith("kyoyaku build")
    assert commands[1].endswith("pytest")


def test_ci_runs_the_readme_test_command():
    assert quickstart_commands()[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_documents_every_command():
    from kyoyaku.cli import parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    subcommands = parser()._subparsers._group_actions[0].choices
    for name in subcommands:
        assert f"### `kyoyaku {name}" in readme, name
