#!/usr/bin/env bash
# Replay fixtures are history: once committed, a fixture is never changed or
# removed (DESIGN: histories of earlier versions are kept and replayed). The
# manifest SHA256SUMS lists every fixture; it may only grow.
set -euo pipefail
cd "$(dirname "$0")/../test/replay/histories"

sha256sum --quiet --check SHA256SUMS || { echo "a committed replay fixture changed or is missing (see above); record a new fixture instead" >&2; exit 1; }

unlisted=$(comm -13 <(awk '{print $2}' SHA256SUMS | sort) <(ls -1 ./*.json | sed 's|^\./||' | sort))
if [ -n "$unlisted" ]; then
  echo "replay fixtures missing from test/replay/histories/SHA256SUMS (add them with sha256sum FILE >> SHA256SUMS):" >&2
  echo "$unlisted" >&2
  exit 1
fi

if git rev-parse --git-dir >/dev/null 2>&1; then
  removed=$(git log -p --format= -- SHA256SUMS | grep -E '^-[^-]' || true)
  if [ -n "$removed" ]; then
    echo "a commit removed or rewrote lines of SHA256SUMS (fixtures may only be added):" >&2
    echo "$removed" >&2
    exit 1
  fi
fi
echo "replay fixtures: $(wc -l < SHA256SUMS) unchanged"
