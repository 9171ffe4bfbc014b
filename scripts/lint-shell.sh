#!/usr/bin/env bash
# Lints the project's shell scripts (.ci/run, scripts/*.sh) with shellcheck.
# ShellCheck has no npm package that ships its binary (the npm "shellcheck" wrapper downloads one
# at install time, which our registries-only network refuses), so it comes from Debian:
#   --install   apt-get install shellcheck first when it is missing (root + apt-get only)
# Without shellcheck the script says so on stderr and exits 0: a visible skip, never a silent pass.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v shellcheck >/dev/null 2>&1 && [[ "${1:-}" == "--install" ]]; then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "lint-shell: installing shellcheck (Debian package)" >&2
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends shellcheck >/dev/null \
      || echo "lint-shell: apt-get install shellcheck failed" >&2
  fi
fi

if ! command -v shellcheck >/dev/null 2>&1; then
  echo "lint-shell: SKIPPED: shellcheck is not installed (apt-get install shellcheck, or run with --install as root)" >&2
  exit 0
fi

files=(.ci/run)
while IFS= read -r -d '' f; do files+=("$f"); done < <(find scripts -name '*.sh' -print0 | sort -z)
shellcheck --shell=bash --severity=style "${files[@]}"
echo "lint-shell: shellcheck clean: ${files[*]}"
