#!/usr/bin/env bash
# Builds what the sandbox's real node needs besides kubelet (scripts/build-servers.sh builds that)
# into the same cache: the local OCI registry (distribution, pinned in sandbox/versions.env) and
# our own sandbox/nodetool (image builder and netns forwarder) with its static pause program,
# keyed by a hash of their source. Builds only what is missing.
#
#   scripts/build-node-tools.sh          build whatever is missing
#   scripts/build-node-tools.sh --check  exit 0 when everything is built, 1 otherwise
#   scripts/build-node-tools.sh --key    print the nodetool source key (the sandbox reads it too)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../sandbox/versions.env
. "$ROOT/sandbox/versions.env"

CACHE="${VERDICT_CACHE:-$HOME/.cache/verdict}"
BIN="$CACHE/bin"
say() { printf '[build-node-tools] %s\n' "$*" >&2; }

# The first 12 hex digits of sha256 over "<sha256>  ./<path>" lines of every source file, sorted
# by path (src/sandbox/node-binaries.ts computes the same).
source_key() {
  (cd "$ROOT/sandbox/nodetool" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12
}

KEY=$(source_key)
registry="$BIN/registry-$REGISTRY_VERSION"
nodetool="$BIN/verdict-nodetool-$KEY"
pause="$BIN/verdict-pause-$KEY"

case "${1:-}" in
  --key) echo "$KEY"; exit 0 ;;
  --check) [ -x "$registry" ] && [ -x "$nodetool" ] && [ -x "$pause" ]; exit ;;
esac

command -v go >/dev/null || { say "error: Go is not installed (or not on PATH)"; exit 1; }
mkdir -p "$BIN"
start=$SECONDS
if [ ! -x "$registry" ]; then
  say "registry (distribution) $REGISTRY_VERSION..."
  gobin=$(mktemp -d)
  GOBIN="$gobin" go install "github.com/distribution/distribution/v3/cmd/registry@$REGISTRY_VERSION"
  mv "$gobin/registry" "$registry" && rmdir "$gobin"
fi
if [ ! -x "$nodetool" ] || [ ! -x "$pause" ]; then
  say "nodetool and pause ($KEY)..."
  cd "$ROOT/sandbox/nodetool"
  go build -trimpath -ldflags "-s -w" -o "$nodetool.tmp" ./cmd/nodetool
  # Static: the pause image holds this one file and nothing else.
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$pause.tmp" ./cmd/pause
  mv "$nodetool.tmp" "$nodetool" && mv "$pause.tmp" "$pause"
fi
say "done in $((SECONDS - start))s; in $BIN"
