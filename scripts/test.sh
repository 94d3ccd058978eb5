#!/usr/bin/env bash
# The test command (`npm test`): types and lint, unit tests, workflow tests (fake activities, a
# dev server per file), integration tests against the real sandbox, then the disruptive tests
# (which restart servers) on their own.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run -s build
npx tsc --noEmit
npx eslint .
scripts/install-node-packages.sh   # the real node's Debian packages
scripts/build-servers.sh
scripts/ensure-chromium.sh   # the Web UI test drives Debian's chromium

# `up` reuses a running control plane and adds what it lacks (the real node); the sandbox is stopped
# afterwards only if this run started its control plane.
started=0
if ! node -e "require('./dist/src/sandbox/sandbox.js').isUp().then((up) => process.exit(up ? 0 : 1))"; then started=1; fi
stop_sandbox() { if [ "$started" = 1 ]; then node bin/verdict sandbox down; fi; }
trap stop_sandbox EXIT
node bin/verdict sandbox up

npx jest --selectProjects unit workflow integration "$@"
npx jest --selectProjects disruptive --runInBand "$@"
