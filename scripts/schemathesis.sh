#!/usr/bin/env bash
# A bounded schemathesis run against a live API (its own throwaway stack), as an
# admin, from the API's own /openapi.json: fails on any 5xx answer. The SSE stream
# (/v1/fleet/events) never ends, so it is left out.
# Usage: bash scripts/schemathesis.sh [max examples per operation, default 10]
# Installs schemathesis (PyPI) into .homeostat/venv on first use. Needs `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE_DIR="${HOMEOSTAT_HOME:-.homeostat}"
VENV="$STATE_DIR/venv"
EXAMPLES="${1:-10}"
if [ ! -x "$VENV/bin/st" ]; then
  echo "[homeostat setup] schemathesis: installing the PyPI package into $VENV" >&2
  [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check schemathesis
fi
coproc API { exec node scripts/api-under-test.mjs; }
trap 'exec {API[1]}>&-; wait "$API_PID" 2>/dev/null || true' EXIT
read -r -t 120 line <&"${API[0]}" || { echo "the API under test did not start" >&2; exit 1; }
url=$(node -e 'console.log(JSON.parse(process.argv[1]).url)' "$line")
token=$(node -e 'console.log(JSON.parse(process.argv[1]).token)' "$line")
echo "schemathesis against $url (max $EXAMPLES examples per operation)" >&2
"$VENV/bin/st" --no-color run "$url/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error \
  --max-examples "$EXAMPLES" \
  --max-time 240 \
  --request-timeout 20 \
  --suppress-health-check all \
  --exclude-path /v1/fleet/events
