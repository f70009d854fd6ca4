"""The `kyoyaku` command in a subprocess: outputs and exit codes (0 ok, 1 non-conforming, 2 input)."""

import json
import os
import shutil
import subprocess

import pytest

from .conftest import FIXTURES, KYOYAKU, ROOT, SEED, SEED_IRI, cli


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A working directory laid out like a checkout, with `kyoyaku build` already run in it."""
    work = tmp_path_factory.mktemp("cli")
    shutil.copytree(ROOT / "data" / "sources", work / "data" / "sources")
    shutil.copytree(ROOT / "data" / "registry", work / "data" / "registry")
    done = cli("build", cwd=work)
    assert done.returncode == 0, done.stderr
    # いばらき県央: 16 records, one replaced by the seed's full text; national: 473 member rows less
    # 68 core-city rows, the 6 of とやま呉西 (no core city stated) and the 14 of two-core areas that do
    # not say with which core city = 385 records, 235 of them dated; and 3 records of joins only
    # events.csv names (one dated), 5 undated rows dated by their join.
    assert "built 1 agreement(s) from full texts and 403 registry record(s)" in done.stdout
    # undated: 8 (茨城県央地域定住自立圏) + 150 national less the 5 dated by joins + the 2 undated joins
    assert "warning: 155 × AgreementRecordDateShape" in done.stdout
    # 13 municipalities each in two areas of one framework (tests/registry/test_registry_national.py)
    assert "warning: 26 × MemberOfTwoAreasShape" in done.stdout
    return work


def test_build_without_the_optional_registry_folder(tmp_path):
    shutil.copytree(ROOT / "data" / "sources", tmp_path / "data" / "sources")
    done = cli("build", cwd=tmp_path)
    assert done.returncode == 0 and "and 0 registry record(s)" in done.stdout, done.stdout + done.stderr
    missing = cli("build", "--registry", tmp_path / "nothing", cwd=tmp_path)
    assert missing.returncode == 2 and "no registry directory" in missing.stderr


def test_build_defaults(project):
    assert (project / "dist" / "kyoyaku.ttl").is_file()
    assert (project / "dist" / "kyoyaku.jsonld").is_file()
    assert (project / "dist" / "kyoyaku.nt").is_file()


def test_parse_json(tmp_path):
    done = cli("parse", SEED, "--format", "json")
    assert done.returncode == 0, done.stderr
    d = json.loads(done.stdout)
    assert d["title"] == "いばらき県央地域連携中枢都市圏の形成に関する連携協約書"
    assert d["date"] == "2022-02-21" and d["date_as_written"] == "令和4年2月21日"
    assert [(p["designation"], p["name"], p["code"]) for p in d["parties"]] == [
        ("甲", "水戸市", "082015"), ("乙", "小美玉市", "082368")]
    assert [a["clause_kind"] for a in d["articles"]][5] == "amendment-termination"
    assert len(d["initiatives"]) == 16 and d["initiatives"][15]["section"] == "3-3"
    assert [s["name"] for s in d["signatures"]] == ["高橋 靖", "島田 穰一"]
    assert d["diagnostics"] == []
    assert "\\u" not in done.stdout


def test_parse_text():
    done = cli("parse", SEED, "--format", "text")
    assert done.returncode == 0
    assert "甲 水戸市 082015 core-city" in done.stdout
    assert "16 [3-3] 人材の育成 → human-resources" in done.stdout


def test_parse_incomplete_exits_1(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text(text[: text.index("別表（第3条関係）")], encoding="utf-8")
    done = cli("parse", cut)
    assert done.returncode == 1
    assert json.loads(done.stdout)["diagnostics"][0]["message"].startswith("no 別表")
    assert f"{cut}:" in done.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "expected the text of a"), (b"\x00\xff\x00", "expected a text file"),
     ("会議録\n出席者".encode(), ":1: expected a 連携協約")],
)
def test_parse_bad_input_exits_2_with_one_line(tmp_path, content, expected):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    done = cli("parse", bad)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and str(bad) in done.stderr and expected in done.stderr
    assert "Traceback" not in done.stderr


def test_parse_missing_file_exits_2(tmp_path):
    done = cli("parse", tmp_path / "nope.txt")
    assert done.returncode == 2 and "nope.txt" in done.stderr and "Traceback" not in done.stderr


def test_parse_report_of_a_complete_folder_exits_0(tmp_path):
    shutil.copy(SEED, tmp_path / SEED.name)
    done = cli("parse", "--report", tmp_path)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.splitlines()[2].split() == [
        "mito-omitama-2022-02-21.txt", "complete", "yes", "2022-02-21", "closing", "2", "2", "7", "1", "16", "-", "-",
        "0"]
    assert done.stdout.endswith("\n\n1 document: 1 complete, 0 incomplete, 0 refused\n")


def test_parse_report_of_an_incomplete_or_refused_text_exits_1_in_every_format(tmp_path):
    shutil.copy(SEED, tmp_path / SEED.name)
    shutil.copy(FIXTURES / "forms" / "not-agreement-news-signing.txt", tmp_path)
    shutil.copy(FIXTURES / "family" / "incomplete-no-betsuhyo.txt", tmp_path)
    for form in ("text", "markdown", "json"):
        done = cli("parse", "--report", tmp_path, "--format", form)
        assert done.returncode == 1 and done.stderr == "", form
    assert json.loads(done.stdout)["summary"] == {"documents": 3, "complete": 1, "incomplete": 1, "refused": 1,
                                                  "not_read": []}
    (tmp_path / "incomplete-no-betsuhyo.txt").unlink()
    assert cli("parse", "--report", tmp_path).returncode == 1  # refused alone
    (tmp_path / "not-agreement-news-signing.txt").unlink()
    assert cli("parse", "--report", tmp_path).returncode == 0


@pytest.mark.parametrize("kind, found", [("missing", "no such directory"), ("file", "not a directory"),
                                         ("empty", "none")])
def test_parse_report_of_no_folder_of_texts_is_one_line_exit_2(tmp_path, kind, found):
    folder = tmp_path / "texts"
    if kind == "file":
        folder.write_text("水戸市\n", encoding="utf-8")
    if kind == "empty":
        folder.mkdir()
    done = cli("parse", "--report", folder)
    expected = "at least one agreement text (*.txt, *.html, *.htm, *.pdf, *.png, *.jpg, *.jpeg, *.tif, *.tiff, *.docx)" if kind == "empty" else "a directory of agreement texts (*.txt, *.html, *.htm, *.pdf, *.png, *.jpg, *.jpeg, *.tif, *.tiff, *.docx)"
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"kyoyaku: {folder}: expected {expected}, found {found!r}\n"


@pytest.mark.parametrize("args, message", [
    (["--report", "data/sources", str(SEED)], "parse: expected an agreement text FILE, or --report FOLDER (not both)"),
    ([], "parse: expected an agreement text FILE, or --report FOLDER (not both)"),
    ([str(SEED), "--format", "markdown"], "parse --format markdown: only with --report FOLDER (FILE: json or text)"),
])
def test_parse_needs_a_file_or_a_report_folder(args, message):
    done = cli("parse", *args, cwd=ROOT)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"kyoyaku: {message}\n")


def test_parse_file_still_prints_json_by_default():
    assert json.loads(cli("parse", SEED).stdout)["date_source"] == "closing"


def test_validate_default_file_conforms(project):
    done = cli("validate", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(  # SHACL's answer (any result: false), then kyoyaku's: no violation, exit 0
        "does not conform: 0 violation(s), 181 warning(s), 0 info(s) (155 × AgreementRecordDateShape, 26 × "
        "MemberOfTwoAreasShape)\naccepted: no violation (kyoyaku publishes data whose results are warnings or infos "
        "only)\n\nWarning: AgreementRecordDateShape")


def test_validate_turtle_report(project):
    done = cli("validate", "--format", "turtle", cwd=project)
    assert done.returncode == 0  # accepted: warnings only
    assert "sh:conforms false" in done.stdout and "sh:conforms true" not in done.stdout  # SHACL: any result


def test_validate_invalid_fixture_exits_1_naming_shape_focus_and_path():
    invalid = sorted((FIXTURES / "shapes" / "invalid").glob("*.ttl"))
    assert invalid, "no invalid shape fixtures"
    fixture = invalid[0]
    header = next(line for line in fixture.read_text(encoding="utf-8").splitlines() if line.startswith("# expect:"))
    shape = header.split()[2].split(":", 1)[1]
    done = cli("validate", fixture)
    assert done.returncode == 1
    assert "does not conform" in done.stdout and shape in done.stdout and "focus:" in done.stdout


def test_validate_unreadable_exits_2(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    done = cli("validate", broken)
    assert done.returncode == 2 and "broken.ttl" in done.stderr and "Traceback" not in done.stderr


def test_render(project):
    done = cli("render", SEED_IRI, cwd=project)
    assert done.returncode == 0, done.stderr
    rendered = [l.rstrip() for l in done.stdout.splitlines() if l.strip()]
    source = [l.rstrip() for l in SEED.read_text(encoding="utf-8").splitlines() if l.strip()]
    assert rendered == source


def test_render_unknown_iri_exits_2(project):
    done = cli("render", "https://w3id.org/kyoyaku/agreement/000000/undated", cwd=project)
    assert done.returncode == 2 and "no such agreement" in done.stderr


def test_build_non_conforming_exits_1_and_keeps_dist(project, tmp_path):
    """A broken source (a row whose 区分 is empty) fails validation; the published dist/ stays."""
    before = (project / "dist" / "kyoyaku.ttl").read_bytes()
    sources = tmp_path / "sources"
    sources.mkdir()
    text = SEED.read_text(encoding="utf-8").replace("戦略的な観光施策\t圏域全体", "\t圏域全体")
    (sources / "broken.txt").write_text(text, encoding="utf-8")
    done = cli("build", "--sources", sources, "--out", project / "dist")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "does not conform" in done.stdout
    assert (project / "dist" / "kyoyaku.ttl").read_bytes() == before


def test_usage_error_exits_2():
    done = cli("frobnicate")
    assert done.returncode == 2
    done = cli("build", "--out", ROOT)
    assert done.returncode == 2 and "not written by kyoyaku" in done.stderr


def test_build_incomplete_exits_1_unless_allowed(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (sources / "cut.txt").write_text(text[: text.index("別表（第3条関係）")], encoding="utf-8")
    refused = cli("build", "--sources", sources, "--out", tmp_path / "dist", "--no-registry")
    assert refused.returncode == 1 and "cut.txt:62: no 別表" in refused.stderr, refused.stderr
    assert not (tmp_path / "dist").exists()
    allowed = cli("build", "--sources", sources, "--out", tmp_path / "dist", "--allow-incomplete", "--no-registry")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "1 warning(s)" in allowed.stdout and (tmp_path / "dist" / "kyoyaku.ttl").is_file()


def test_build_records_the_public_sparql_endpoint_in_the_catalog(tmp_path):
    shutil.copytree(ROOT / "data" / "sources", tmp_path / "data" / "sources")
    done = cli("build", "--no-registry", "--sparql-endpoint", "https://example.org/kyoyaku/sparql", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    catalog = (tmp_path / "dist" / "catalog.ttl").read_text(encoding="utf-8")
    assert "void:sparqlEndpoint <https://example.org/kyoyaku/sparql>" in catalog
    bad = cli("build", "--no-registry", "--sparql-endpoint", "sparql", "--out", tmp_path / "other", cwd=tmp_path)
    assert bad.returncode == 2 and "expected an http(s) URL" in bad.stderr and not (tmp_path / "other").exists()


def test_build_shows_progress_on_a_terminal_unless_quiet(tmp_path):
    """Progress bars appear on a terminal (here a pseudo-terminal of 100 columns) for steps over a
    second, never in pipes (every other test) and never with --quiet."""
    import fcntl
    import pty
    import struct
    import termios

    shutil.copytree(ROOT / "data" / "sources", tmp_path / "data" / "sources")
    shutil.copytree(ROOT / "data" / "registry", tmp_path / "data" / "registry")

    def on_terminal(*args):
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        done = subprocess.run([*KYOYAKU, "build", *args], cwd=tmp_path, stdout=subprocess.PIPE, stderr=follower,
                              check=False, timeout=300)
        os.close(follower)
        shown = bytearray()
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed: everything has been read
                break
            if not chunk:
                break
            shown.extend(chunk)
        os.close(leader)
        return done.returncode, shown.decode("utf-8", "replace")

    code, shown = on_terminal()
    assert code == 0 and "write:" in shown, shown
    code, quiet = on_terminal("--quiet")
    assert code == 0 and quiet == ""
    # a scan's pages: the OCR's own bar, page by page, and silent with --quiet too
    from .text.pages import (
        image_file,
        page_images,
        print_to_pdf,
        signed_copy_page,
        text_of,
    )

    sources = tmp_path / "data" / "sources"
    (sources / SEED.name).unlink()
    (sources / "sources.csv").unlink()  # its row names the text just removed
    NO_MANIFEST_ROW = "no row in sources.csv, so no official source page is published for it"
    pdf = print_to_pdf(signed_copy_page(text_of(SEED)), tmp_path / "printed.pdf")
    (sources / "seed-scan.tiff").write_bytes(image_file(page_images(pdf), "TIFF"))
    for cache, args, expected in (("cache-1", (), True), ("cache-2", ("--quiet",), False)):  # each cache empty: OCR runs
        os.environ["KYOYAKU_CACHE_DIR"] = str(tmp_path / cache)
        try:
            code, shown = on_terminal("--no-registry", "--out", str(tmp_path / cache / "dist"), *args)
        finally:
            del os.environ["KYOYAKU_CACHE_DIR"]
        assert code == 0 and ("OCR pages:" in shown) is expected and ("%|" in shown) is expected, shown
    assert shown.strip() == f"data/sources/seed-scan.tiff: warning: {NO_MANIFEST_ROW}"  # --quiet: no bar at all


# `kyoyaku --help` and each command's help: a description and examples, in workflow order.
WORKFLOW_ORDER = ["build", "parse", "validate", "query", "report", "serve", "push",
                  "queries", "import-registry", "render"]


def examples_in(text: str) -> list[list[str]]:
    """The example command lines of a help text (its `examples:` section), as argument lists."""
    import shlex

    section = text.split("examples:\n", 1)[1] if "examples:\n" in text else text.split("in a checkout:\n", 1)[1]
    return [shlex.split(line)[1:] for line in section.splitlines() if line.startswith("  kyoyaku ")]


def test_help_lists_the_commands_in_workflow_order(capsys):
    from kyoyaku.cli import main

    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    listing = text.split("commands, in workflow order:\n", 1)[1].split("\n\n", 1)[0]
    listed = [line.split()[0] for line in listing.splitlines() if line.startswith("    ") and line[4] != " "]
    assert listed == WORKFLOW_ORDER
    assert "a first session, in a checkout:\n  kyoyaku build\n" in text
    assert "`kyoyaku COMMAND --help` describes a command, with examples." in text


def test_the_first_session_of_the_main_help_parses(capsys):
    from kyoyaku.cli import main, parser

    with pytest.raises(SystemExit):
        main(["--help"])
    session = examples_in(capsys.readouterr().out)
    assert [args[0] for args in session] == ["build", "query", "serve"]
    for args in session:
        assert parser().parse_args(args).command == args[0]


@pytest.mark.parametrize("command", WORKFLOW_ORDER)
def test_each_command_has_a_description_and_examples_that_parse(command, capsys):
    from kyoyaku.cli import main, parser

    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    description = text.split("\n\n", 2)[1]  # after the usage lines
    assert len(description.split()) >= 12, description
    examples = examples_in(text)
    assert examples, text
    for args in examples:
        assert args[0] == command
        assert parser().parse_args(args).command == command


def test_build_counts_its_triples_without_making_an_rdflib_graph(tmp_path, monkeypatch, capsys):
    """The summary line counts the build's Lines: making result.graph only to count it was, at 10,000
    agreements, an rdflib Graph of 6 M triples — the command's peak memory, twice the build's own."""
    from kyoyaku.cli import main
    from kyoyaku.graph.serialize import Lines

    def refused(self):
        raise AssertionError("the build made an rdflib Graph")

    monkeypatch.setattr(Lines, "graph", refused)
    assert main(["build", "--sources", str(SEED.parent), "--no-registry", "--out", str(tmp_path / "dist"), "--quiet"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    triples = len((tmp_path / "dist" / "kyoyaku.nt").read_text(encoding="utf-8").splitlines())
    assert first == f"built 1 agreement(s) from full texts and 0 registry record(s), {triples} triples; conforms"


COUNT_AREAS = ("PREFIX kyo: <https://w3id.org/kyoyaku/ns#>\n"
               "SELECT (COUNT(?area) AS ?areas) WHERE { ?area a kyo:PartnershipArea }\n")


def test_query_takes_any_query_inline_on_stdin_or_as_a_file_without_header(project, tmp_path):
    """Issue 22: a header is optional but for the library; `--query TEXT` and `-` (stdin) too. The
    shipped build has 75 areas (the registry's 65 and the 8 named only in its events, and いばらき県央
    twice: 連携中枢都市圏 and 定住自立圏)."""
    inline = cli("query", "--query", COUNT_AREAS, "--format", "csv", cwd=project)
    assert (inline.returncode, inline.stdout) == (0, "areas\n75\n"), inline.stderr
    piped = subprocess.run([*KYOYAKU, "query", "-", "--format", "csv"], input=COUNT_AREAS, capture_output=True,
                           text=True, cwd=project, timeout=300, check=False)
    assert (piped.returncode, piped.stdout) == (0, "areas\n75\n"), piped.stderr
    plain = tmp_path / "plain.rq"
    plain.write_text(COUNT_AREAS, encoding="utf-8")
    from_file = cli("query", plain, "--format", "json", cwd=project)
    assert from_file.returncode == 0 and json.loads(from_file.stdout) == [{"areas": 75}], from_file.stderr


def test_query_needs_exactly_one_query(project):
    both = cli("query", "coverage", "--query", COUNT_AREAS, cwd=project)
    neither = cli("query", cwd=project)
    for done in (both, neither):
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr == "kyoyaku: give a query: a name, a .rq file or - (stdin), or --query TEXT — one of them\n"
    bad = cli("query", "--query", "SELEC ?x", cwd=project)
    assert bad.returncode == 2 and bad.stderr.startswith("kyoyaku: --query:1: expected a SPARQL 1.1 query (or update)")


def test_validate_summary_and_json_say_shacls_answer_and_kyoyakus_apart(project):
    """Issue 22: sh:conforms is false whenever there are results; kyoyaku accepts data with warnings
    only (exit 0) and says so on a line of its own; JSON for programs."""
    summary = cli("validate", "--format", "summary", cwd=project)
    assert (summary.returncode, summary.stdout) == (0, (
        "does not conform: 0 violation(s), 181 warning(s), 0 info(s) (155 × AgreementRecordDateShape, 26 × "
        "MemberOfTwoAreasShape)\naccepted: no violation (kyoyaku publishes data whose results are warnings or infos "
        "only)\n"))
    done = cli("validate", "--format", "json", cwd=project)
    report = json.loads(done.stdout)
    assert done.returncode == 0 and (report["conforms"], report["accepted"]) == (False, True)
    assert report["counts"] == {"Violation": 0, "Warning": 181, "Info": 0}
    assert report["shapes"] == [{"severity": "Warning", "shape": "AgreementRecordDateShape", "results": 155},
                                {"severity": "Warning", "shape": "MemberOfTwoAreasShape", "results": 26}]
    assert len(report["results"]) == 181 and set(report["results"][0]) == {
        "severity", "shape", "focus", "path", "value", "messages"}


def test_validate_a_violation_is_not_accepted_exit_1(tmp_path):
    bad = FIXTURES / "shapes" / "invalid" / "agreement-core-city-missing.ttl"
    done = cli("validate", "--format", "summary", bad, cwd=tmp_path)
    assert done.returncode == 1
    first, second = done.stdout.splitlines()
    assert first.startswith("does not conform: 1 violation(s), 0 warning(s), 0 info(s) (1 × AgreementCoreCityShape")
    assert second == "not accepted: 1 violation(s)"
