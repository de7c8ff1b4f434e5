#!/usr/bin/env bash
# Install the pinned browser libraries (package-lock.json) and copy the files the pages load into
# static/vendor/. Only the built files are copied; node_modules stays out of the served tree.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
mkdir -p static/vendor
while read -r src dest; do
  [ -n "$src" ] || continue
  cp "node_modules/$src" "static/vendor/$dest"
done < scripts/vendor-files.txt
