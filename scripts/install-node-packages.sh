#!/usr/bin/env bash
# Installs the Debian packages the sandbox's real node needs: containerd, runc, the CNI plugins,
# a static busybox (the validator base image) and iproute2 (netns, veth, bridge). Each package is
# checked with dpkg every time, so a machine that happens to have some cannot hide a missing step;
# only what is missing is installed. Quick (a few dpkg queries) when everything is there.
#
#   scripts/install-node-packages.sh          install whatever is missing (needs root)
#   scripts/install-node-packages.sh --check  exit 0 when all are installed, 1 otherwise
set -euo pipefail

packages=(containerd runc containernetworking-plugins busybox-static iproute2)

say() { printf '[install-node-packages] %s\n' "$*" >&2; }

missing=()
for p in "${packages[@]}"; do
  # `dpkg -s` also succeeds for a removed package whose config files remain: ask for the status.
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done

if [ "${1:-}" = "--check" ]; then
  [ ${#missing[@]} -eq 0 ] || { say "missing: ${missing[*]}"; exit 1; }
  exit 0
fi
if [ ${#missing[@]} -eq 0 ]; then
  say "all installed: ${packages[*]}"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { say "error: installing ${missing[*]} needs root (apt-get)"; exit 1; }

say "installing ${missing[*]}..."
start=$SECONDS
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends: containerd recommends nothing we use; no services are started (no systemd).
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for p in "${missing[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || { say "error: $p did not install"; exit 1; }
done
say "installed in $((SECONDS - start))s"
