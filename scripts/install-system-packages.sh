#!/usr/bin/env bash
# Installs the Debian packages the tests and pictures need (Chromium, Graphviz, a font),
# only when one of them is missing, so repeated `make` runs cost nothing.
set -euo pipefail
missing=0
command -v chromium >/dev/null 2>&1 || missing=1
command -v dot >/dev/null 2>&1 || missing=1
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing=1
[ "$missing" = 0 ] && exit 0
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "Installing chromium, graphviz and fonts-dejavu-core with apt-get (about 80 s)..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium graphviz fonts-dejavu-core >/dev/null
