#!/usr/bin/env bash
# The test command (`npm test`): types and lint, unit tests, workflow tests (fake activities, a
# dev server per file), integration tests against the real sandbox, then the disruptive tests
# (which restart servers) on their own.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run -s build
npx tsc --noEmit
npx eslint .
scripts/build-servers.sh
scripts/ensure-chromium.sh   # the Web UI test drives Debian's chromium

started=0
if ! node bin/verdict sandbox status >/dev/null 2>&1; then
  node bin/verdict sandbox up
  started=1
fi
stop_sandbox() { if [ "$started" = 1 ]; then node bin/verdict sandbox down; fi; }
trap stop_sandbox EXIT

npx jest --selectProjects unit workflow integration "$@"
npx jest --selectProjects disruptive --runInBand "$@"
