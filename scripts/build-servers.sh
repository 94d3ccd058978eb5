#!/usr/bin/env bash
# Builds the pinned Temporal and Kubernetes servers (and Helm) from the Go module proxy into a cache outside
# the repo, keyed by version, so only the first build is slow. Builds only what is missing.
#
# Then the real node's registry and tools (scripts/build-node-tools.sh).
#
#   scripts/build-servers.sh          build whatever is missing
#   scripts/build-servers.sh --check  exit 0 when everything is built, 1 otherwise
set -euo pipefail

# shellcheck source=../sandbox/versions.env
. "$(dirname "$0")/../sandbox/versions.env"

CACHE="${VERDICT_CACHE:-$HOME/.cache/verdict}"
BIN="$CACHE/bin"
NEED_GB=12

say() { printf '[build-servers] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Every binary we need, as "file|builder".
targets=(
  "temporal-$TEMPORAL_VERSION|build_temporal"
  "kube-apiserver-$KUBERNETES_VERSION|build_kubernetes"
  "kube-controller-manager-$KUBERNETES_VERSION|build_kubernetes"
  "kube-scheduler-$KUBERNETES_VERSION|build_kubernetes"
  "kubectl-$KUBERNETES_VERSION|build_kubernetes"
  "kubelet-$KUBERNETES_VERSION|build_kubernetes"
  "etcd-$ETCD_VERSION|build_etcd"
  "kwok-$KWOK_VERSION|build_kwok"
  "helm-$HELM_VERSION|build_helm"
)

missing() {
  local t
  for t in "${targets[@]}"; do [ -x "$BIN/${t%%|*}" ] || echo "$t"; done
}

preflight() {
  command -v go >/dev/null || die "Go is not installed (or not on PATH). Install Go 1.26+ and retry."
  local free_gb
  free_gb=$(df -Pk "$CACHE" | awk 'NR==2 {print int($4/1024/1024)}')
  [ "$free_gb" -ge "$NEED_GB" ] ||
    die "only ${free_gb} GB free under $CACHE; the cold build needs about ${NEED_GB} GB. Free space or set VERDICT_CACHE."
}

# A throwaway module outside the repo: the build happens there, the binary lands in $BIN.
work_module() {
  local dir="$CACHE/build/$1"
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  go mod init "verdict.local/build/$1" >/dev/null 2>&1
}

build_temporal() {
  say "Temporal CLI $TEMPORAL_VERSION (dev server with Web UI)..."
  GOBIN="$CACHE/build/gobin" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_VERSION"
  mv "$CACHE/build/gobin/temporal" "$BIN/temporal-$TEMPORAL_VERSION"
}

build_kwok() {
  say "kwok $KWOK_VERSION..."
  GOBIN="$CACHE/build/gobin" go install "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  mv "$CACHE/build/gobin/kwok" "$BIN/kwok-$KWOK_VERSION"
}

# The chart (deploy/chart/verdict) is linted and rendered with it.
build_helm() {
  say "Helm $HELM_VERSION..."
  GOBIN="$CACHE/build/gobin" go install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
  mv "$CACHE/build/gobin/helm" "$BIN/helm-$HELM_VERSION"
}

# k8s.io/kubernetes replaces its staging modules with local paths, so it cannot be installed
# directly: require it from a wrapper module and point each staging module at its release tag.
build_kubernetes() {
  [ -x "$BIN/kubectl-$KUBERNETES_VERSION" ] && [ -x "$BIN/kube-apiserver-$KUBERNETES_VERSION" ] &&
    [ -x "$BIN/kube-controller-manager-$KUBERNETES_VERSION" ] && [ -x "$BIN/kube-scheduler-$KUBERNETES_VERSION" ] &&
    [ -x "$BIN/kubelet-$KUBERNETES_VERSION" ] && return 0
  say "Kubernetes $KUBERNETES_VERSION (apiserver, controller-manager, scheduler, kubectl, kubelet): the slow one, 20-40 min cold on 2 cores..."
  work_module kubernetes
  local gomod staging="v0${KUBERNETES_VERSION#v1}"
  gomod=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
  go mod edit -require="k8s.io/kubernetes@$KUBERNETES_VERSION"
  grep -E '^\s+k8s.io/[a-z0-9-]+ v0\.0\.0$' "$gomod" | awk '{print $1}' | while read -r m; do
    go mod edit -replace="$m=$m@$staging"
  done
  cat >tools.go <<'EOF'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
EOF
  say "  resolving modules..."
  go mod tidy
  local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/client-go/pkg/version.gitVersion=$KUBERNETES_VERSION"
  local cmd
  for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet; do
    [ -x "$BIN/$cmd-$KUBERNETES_VERSION" ] && continue
    say "  compiling $cmd..."
    go build -trimpath -ldflags "$ldflags" -o "$BIN/$cmd-$KUBERNETES_VERSION.tmp" "k8s.io/kubernetes/cmd/$cmd"
    mv "$BIN/$cmd-$KUBERNETES_VERSION.tmp" "$BIN/$cmd-$KUBERNETES_VERSION"
  done
}

# etcd's server module also replaces its siblings with local paths: same wrapper trick.
build_etcd() {
  say "etcd $ETCD_VERSION..."
  work_module etcd
  go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >tools.go
  go mod tidy
  go build -trimpath -ldflags "-s -w" -o "$BIN/etcd-$ETCD_VERSION.tmp" go.etcd.io/etcd/server/v3
  mv "$BIN/etcd-$ETCD_VERSION.tmp" "$BIN/etcd-$ETCD_VERSION"
}

NODE_TOOLS="$(dirname "$0")/build-node-tools.sh"

main() {
  mkdir -p "$BIN"
  local todo
  todo=$(missing)
  if [ "${1:-}" = "--check" ]; then [ -z "$todo" ] && "$NODE_TOOLS" --check; return; fi
  if [ -z "$todo" ]; then say "all servers cached in $BIN"; "$NODE_TOOLS"; return; fi
  preflight
  local builders b start=$SECONDS
  builders=$(echo "$todo" | cut -d'|' -f2 | awk '!seen[$0]++')
  for b in $builders; do
    # A plain subshell keeps `set -e` in force inside the builder (it is off under `||`).
    set +e
    (set -e; cd "$CACHE"; $b)
    local rc=$?
    set -e
    [ "$rc" -eq 0 ] || die "$b failed (see the Go output above)"
  done
  rm -rf "$CACHE/build"
  say "done in $((SECONDS - start))s; servers cached in $BIN"
  "$NODE_TOOLS"
}

main "$@"
