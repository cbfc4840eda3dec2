#!/usr/bin/env bash
# Builds the real kube-apiserver and kube-controller-manager that the K8s-mode
# tests run against (no package ships them). They build from the Go module
# proxy: upstream's go.mod replaces its staging modules (k8s.io/api, ...) with
# local paths, so `go install k8s.io/kubernetes/cmd/...@v` fails; a small
# wrapper module requires k8s.io/kubernetes and replaces each staging module
# with the published one at the matching v0.x version.
#
# Idempotent: the binaries are cached in $HOMEOSTAT_HOME/k8s/<version>/bin
# (default .homeostat, git-ignored) and a second run returns at once. Concurrent
# runs wait for each other (flock). Takes ~9 min of 2 cores the first time.
#   bash scripts/k8s-binaries.sh           # build if missing, print the bin dir
#   K8S_VERSION=v1.37.2 bash scripts/k8s-binaries.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${K8S_VERSION:-v1.37.2}"
STATE_DIR="${HOMEOSTAT_HOME:-.homeostat}"
OUT="$STATE_DIR/k8s/$VERSION"
BIN="$OUT/bin"
BINARIES=(kube-apiserver kube-controller-manager)
# Modules the proxy refuses (they are examples, never needed by the two binaries).
SKIP_STAGING='^k8s.io/(sample-cli-plugin|sample-controller)$'

log() { echo "[k8s-binaries $(date -u +%H:%M:%S)] $*"; }
all_built() { for b in "${BINARIES[@]}"; do [ -x "$BIN/$b" ] || return 1; done; }

if all_built; then log "cached: $BIN"; exit 0; fi

# Go >= 1.21 fetches the toolchain the wrapper's go.mod asks for by itself (GOTOOLCHAIN=auto).
# Without one, take that toolchain from the Go module proxy, as `go` itself would
# (the module golang.org/toolchain), into the state dir.
GO_TOOLCHAIN="${GO_TOOLCHAIN:-go1.26.8}"
go_usable() { command -v go >/dev/null 2>&1 && go version | grep -qE 'go1\.(2[1-9]|[3-9][0-9])'; }

ensure_go() {
  if go_usable; then log "$(go version)"; return; fi
  local arch os dir zip
  case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64 | arm64) arch=arm64 ;; *) echo "no Go toolchain for $(uname -m): install Go >= 1.21" >&2; exit 1 ;; esac
  os="$(uname -s | tr '[:upper:]' '[:lower:]')"
  dir="$STATE_DIR/go-toolchain/$GO_TOOLCHAIN"
  if [ ! -x "$dir/bin/go" ]; then
    log "Go >= 1.21 not found: fetching the $GO_TOOLCHAIN toolchain from the Go module proxy (~70 MB)"
    mkdir -p "$dir" && zip="$(mktemp)"
    curl -fsSL "${GOPROXY_URL:-https://proxy.golang.org}/golang.org/toolchain/@v/v0.0.1-$GO_TOOLCHAIN.$os-$arch.zip" -o "$zip"
    python3 - "$zip" "$dir" <<'PY'
import sys, zipfile, os
archive, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(archive) as z:
    for info in z.infolist():
        # Entries are golang.org/toolchain@<version>/<path>: keep <path>.
        parts = info.filename.split('/', 2)
        name = parts[2] if len(parts) == 3 else ''
        if not name or name.endswith('/'):
            continue
        path = os.path.join(target, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with z.open(info) as src, open(path, 'wb') as dst:
            dst.write(src.read())
        os.chmod(path, (info.external_attr >> 16) & 0o777 or 0o644)
PY
    rm -f "$zip"
  fi
  export GOROOT="$(cd "$dir" && pwd)" PATH="$(cd "$dir" && pwd)/bin:$PATH" GOTOOLCHAIN=local
  log "$(go version) (from the Go module proxy)"
}

# The wrapper module: upstream's requirement plus one replace per staging module.
write_wrapper() {
  local src="$1" upstream staging_version="v0.${VERSION#v1.}"
  upstream="$(mktemp)"
  curl -fsSL "${GOPROXY_URL:-https://proxy.golang.org}/k8s.io/kubernetes/@v/$VERSION.mod" -o "$upstream" \
    || { echo "the Go module proxy has no k8s.io/kubernetes $VERSION (or refused it)" >&2; exit 1; }
  {
    echo "module homeostat.local/k8s-binaries"
    echo
    grep -E '^go [0-9.]+$' "$upstream"
    echo
    echo "require k8s.io/kubernetes $VERSION"
    echo
    echo "replace ("
    grep -oE '^\s*k8s.io/[a-z0-9-]+ => \./staging/src/' "$upstream" | awk '{print $1}' \
      | grep -vE "$SKIP_STAGING" | sed "s|.*|\t& => & $staging_version|"
    echo ")"
  } >"$src/go.mod"
  rm -f "$upstream"
  log "wrapper module: $(grep -c '=>' "$src/go.mod") staging modules replaced at $staging_version"
}

ensure_go
mkdir -p "$OUT"
exec 9>"$OUT/.build.lock"
log "waiting for the build lock ($OUT/.build.lock)"
flock 9
if all_built; then log "built meanwhile by another run: $BIN"; exit 0; fi

SRC="$OUT/src"
rm -rf "$SRC" && mkdir -p "$SRC" "$BIN"
write_wrapper "$SRC"
cd "$SRC"
started=$SECONDS
log "resolving and downloading modules (about 140 MB of zips the first time)"
GOFLAGS=-mod=mod go get "${BINARIES[@]/#/k8s.io/kubernetes/cmd/}" 2>&1 | { grep -v '^go: downloading' || true; }
[ "${PIPESTATUS[0]}" = 0 ] || { echo "go get failed (did the Go module proxy refuse a module? see above)" >&2; exit 1; }
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$VERSION"
for b in "${BINARIES[@]}"; do
  [ -x "../bin/$b" ] && { log "$b: cached"; continue; }
  log "building $b (several minutes; progress: go build -v lists packages as they compile)"
  t0=$SECONDS
  go build -v -ldflags "$ldflags" -o "../bin/$b.partial" "k8s.io/kubernetes/cmd/$b" 2>&1 \
    | awk -v b="$b" '/^#|\.go:[0-9]+/ { print; next } { n++ } n % 200 == 0 { printf "[k8s-binaries] %s: %d packages compiled\n", b, n; fflush() }'
  [ "${PIPESTATUS[0]}" = 0 ] || { echo "go build $b failed" >&2; exit 1; }
  mv "../bin/$b.partial" "../bin/$b"
  log "$b built in $((SECONDS - t0)) s ($(du -h "../bin/$b" | cut -f1))"
done
log "done in $((SECONDS - started)) s: $(cd .. && pwd)/bin"
