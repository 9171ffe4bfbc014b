#!/usr/bin/env bash
# Lints the Dockerfile with dockerfilelint (npm dev dependency); exits non-zero on any issue.
set -euo pipefail
cd "$(dirname "$0")/.."
node_modules/.bin/dockerfilelint Dockerfile
