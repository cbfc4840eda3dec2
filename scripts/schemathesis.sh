#!/usr/bin/env bash
# A bounded schemathesis run against a live API (its own throwaway stack), as an admin, from
# the API's own /openapi.json, with every check (scripts/schemathesis.toml says which are
# relaxed where, and why): fails on any 5xx, any answer the document does not describe (status,
# content type, body schema, Allow header), any valid request refused or invalid one accepted.
# The SSE stream (/v1/fleet/events) never ends, so it is left out.
# Usage: bash scripts/schemathesis.sh [max examples per operation, default 10] [more st options…]
#   SCHEMATHESIS_CHECKS=not_a_server_error bash scripts/schemathesis.sh   (only some checks)
# Installs schemathesis (PyPI, pinned) into .homeostat/venv on first use. Needs `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
mkdir -p "${HOMEOSTAT_HOME:-.homeostat}"
STATE_DIR="$(cd "${HOMEOSTAT_HOME:-.homeostat}" && pwd)"
VENV="$STATE_DIR/venv"
# Pinned: a newer release may add checks, and CI must not turn red by itself.
SCHEMATHESIS_VERSION=4.32.5
EXAMPLES="${1:-10}"
shift || true
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "[homeostat setup] schemathesis: installing schemathesis==$SCHEMATHESIS_VERSION (PyPI) into $VENV" >&2
  [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
[ -f dist/apps/api/main.js ] || { echo "dist/ is missing: run \`npm run build\` first" >&2; exit 1; }
coproc API { exec node scripts/api-under-test.mjs; }
trap 'exec {API[1]}>&-; wait "$API_PID" 2>/dev/null || true' EXIT
read -r -t 120 line <&"${API[0]}" || { echo "the API under test did not start" >&2; exit 1; }
url=$(node -e 'console.log(JSON.parse(process.argv[1]).url)' "$line")
token=$(node -e 'console.log(JSON.parse(process.argv[1]).token)' "$line")
logDir=$(node -e 'console.log(JSON.parse(process.argv[1]).logDir)' "$line")
echo "schemathesis against $url (max $EXAMPLES examples per operation)" >&2
checks=()
[ -n "${SCHEMATHESIS_CHECKS:-}" ] && checks=(--checks "$SCHEMATHESIS_CHECKS")
# Its example database and cache go with the venv, not into the working tree.
cd "$STATE_DIR"
status=0
output="$STATE_DIR/schemathesis-output.txt"
# schemathesis closes with a pytest-style line ("==== 2 warnings in 240.05s ====") that counts no
# test, and a CI log reader that knows pytest's closing line reads the whole run as "no test ran"
# (stops 18 to 21, though jest's plain closing line came after it). The file keeps it; the log
# gets it reworded.
withoutPytestClosingLine() {
  sed -E 's/^=+ (.+) in ([0-9.]+)s =+$/schemathesis closed with: \1 after \2 s/'
}
"$VENV/bin/st" --no-color --config-file "$REPO/scripts/schemathesis.toml" run "$url/openapi.json" \
  --header "Authorization: Bearer $token" \
  "${checks[@]}" \
  --max-examples "$EXAMPLES" \
  --max-time 240 \
  --request-timeout 20 \
  --suppress-health-check all \
  --exclude-path /v1/fleet/events \
  "$@" 2>&1 | tee "$output" | withoutPytestClosingLine || status=$?
# Say what it counted ("Test cases: N generated, N passed, N skipped") in the plain closing line.
if [ "$status" -eq 0 ]; then
  counted=$(grep -A1 '^Test cases:' "$output" | tail -1)
  count() { grep -oE "[0-9]+ $1" <<<"$counted" | grep -oE '^[0-9]+' || echo 0; }
  echo "schemathesis: $(count passed) passed, $(count failed) failed, $(count skipped) skipped"
fi
# A 500 is logged by the API with its cause (the answer reveals nothing): show it beside the failure.
if [ "$status" -ne 0 ] && grep -q '"level":50' "$logDir/api.log" 2>/dev/null; then
  echo "errors the API logged ($logDir/api.log):" >&2
  grep '"level":50' "$logDir/api.log" | head -20 | cut -c1-600 >&2
fi
exit "$status"
