#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed, for the Web UI test (test/integration/web-ui.test.ts
# drives it through playwright-core). Idempotent and quick when it is already there. Playwright's
# own browser download is never used: this machine reaches Debian's packages, not browser builds.
set -euo pipefail

CHROMIUM="${VERDICT_CHROMIUM:-/usr/bin/chromium}"
say() { printf '[ensure-chromium] %s\n' "$*" >&2; }

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$CHROMIUM" != /usr/bin/chromium ]; then
  say "error: VERDICT_CHROMIUM=$CHROMIUM is not an executable file: point it at a Chromium binary, or unset it to install Debian's"
  exit 1
fi
sudo=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { say "error: installing chromium needs root: run 'apt-get install -y chromium' as root"; exit 1; }
  sudo=(sudo)
fi
say "installing Debian's chromium package..."
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
"$CHROMIUM" --version >&2
