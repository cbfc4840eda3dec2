#!/usr/bin/env bash
# Compiles apps/, libs/ and workflows/ into dist/ with swc. Builds into a fresh
# folder and swaps it in, so processes being started from dist/ meanwhile (a
# running demo, a test suite) never see it half-written or missing.
set -euo pipefail
cd "$(dirname "$0")/.."
next="dist.next.$$"
trap 'rm -rf "$next" "dist.old.$$"' EXIT
npx swc apps libs workflows -d "$next" --quiet
[ -d dist ] && mv dist "dist.old.$$"
mv "$next" dist
