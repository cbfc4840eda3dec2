#!/usr/bin/env bash
# Compiles apps/, libs/ and workflows/ into dist/ with swc, then bundles the
# workflows into dist/workflow-bundle.js (what the worker loads in production and
# the replay test replays). Builds into a fresh
# folder and swaps it in, so processes being started from dist/ meanwhile (a
# running demo, a test suite) never see it half-written or missing.
set -euo pipefail
cd "$(dirname "$0")/.."
next="dist.next.$$"
trap 'rm -rf "$next" "dist.old.$$"' EXIT
npx swc apps libs workflows -d "$next" --quiet
node scripts/bundle-workflows.mjs "$next"
[ -d dist ] && mv dist "dist.old.$$"
mv "$next" dist
