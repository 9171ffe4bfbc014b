#!/usr/bin/env bash
# Regenerates the README's report screenshots (docs/img/report.png, docs/img/report-375.png) from a
# fresh demo lake with Debian's headless Chromium (apt-get install chromium). Run after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null 2>&1 || { echo "screenshot-report: chromium is not installed (apt-get install chromium)" >&2; exit 1; }
lake="$(mktemp -d)"
trap 'rm -rf "$lake"' EXIT
node dist/cli.js demo --lake "$lake" --log-level warn >/dev/null
html="$(find "$lake/reports" -name report.html | head -n 1)"
shot() {
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$1" --screenshot="$2" "file://$html" 2>/dev/null
}
shot 760,2300 docs/img/report.png
shot 375,1600 docs/img/report-375.png
echo "screenshot-report: docs/img/report.png docs/img/report-375.png from $html"
