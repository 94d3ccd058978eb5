#!/usr/bin/env bash
# The baseline suite: every Job manifest in <dir>, <concurrency> at a time, each through
# baseline-validator.sh. Usage: baseline.sh <dir> <namespace> <concurrency> <timeout seconds>
set -euo pipefail
dir=$1 ns=$2 concurrency=$3 timeout=$4
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir/logs"
for f in "$dir"/*.json; do basename "$f" .json; done |
  xargs -P "$concurrency" -I{} "$here/baseline-validator.sh" "$dir/{}.json" "$ns" {} "$timeout" "$dir/logs"
