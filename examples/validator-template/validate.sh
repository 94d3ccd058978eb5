#!/bin/sh
# A template validator for Verdict: copy it, replace the checks, build it into an image.
# docs/validators.md is the contract; in short:
#   - exit 0 passed, 1 failed, 2 skipped (nothing to check here), anything else other;
#   - the termination message (/dev/termination-log) is the one line the report shows;
#   - stdout is the log; its `go test -json` lines become the report's sub-tests;
#   - input files are read-only at $VERDICT_INPUT_<NAME>;
#   - it runs as a non-root user, and SIGTERM asks it to stop.
#
# This one checks a cluster inventory (an input file like examples/snapshot.yaml, with lines
# `cluster: NAME`, `nodes: N`, `gpus: N`) against MIN_NODES and MIN_GPUS, and the container it
# runs in. The sandbox builds it into registry.verdict.local/verdict/validator-template:1.
set -u

snapshot=${SNAPSHOT:-${VERDICT_INPUT_SNAPSHOT_YAML:-}}
min_nodes=${MIN_NODES:-1}
min_gpus=${MIN_GPUS:-0}
passed=0
failed=0
failures=''

# The one-line result: the termination message, then the exit code.
finish() {
  printf '%s' "$2" >/dev/termination-log
  echo "$2"
  exit "$1"
}

# A shell that is PID 1 ignores SIGTERM unless it traps it: without this trap, stopping the
# validator (a timeout, a cancelled run) waits for the whole grace period, then SIGKILL.
trap 'finish 3 "stopped by SIGTERM after $passed passed, $failed failed"' TERM

# JSON string contents: backslashes and quotes escaped, on one line.
json() { printf '%s' "$1" | tr '\n\t' '  ' | sed 's/\\/\\\\/g; s/"/\\"/g'; }

# check NAME COMMAND...: runs one check as a `go test -json` sub-test. The command prints one
# line saying what it saw and succeeds or fails; the line is the sub-test's output.
check() {
  name=$1
  shift
  printf '{"Action":"run","Test":"%s"}\n' "$name"
  if out=$("$@" 2>&1); then
    action=pass passed=$((passed + 1))
  else
    action=fail failed=$((failed + 1)) failures="${failures:+$failures; }$out"
  fi
  printf '{"Action":"output","Test":"%s","Output":"%s\\n"}\n' "$name" "$(json "$out")"
  printf '{"Action":"%s","Test":"%s"}\n' "$action" "$name"
}

# Sets $value to `key: value` of the inventory; ends as other (exit 3: the input cannot be
# read) when it is not a whole number.
number() {
  value=$(sed -n "s/^$1:[[:space:]]*//p" "$snapshot" | head -n 1)
  case $value in
    '' | *[!0-9]*) finish 3 "cannot read the inventory: '$1' is '$value', not a number" ;;
  esac
}

# The checks: each prints what it saw and returns 0 (pass) or 1 (fail).
runs_as_non_root() {
  uid=$(id -u)
  echo "running as uid $uid"
  [ "$uid" != 0 ]
}
input_read_only() {
  if (: >>"$snapshot") 2>/dev/null; then echo "the inventory is writable"; return 1; fi
  echo "the inventory is read-only"
}
at_least() { # what have wanted
  echo "$2 $1, at least $3 wanted"
  [ "$2" -ge "$3" ]
}

# Nothing to check without an inventory: skipped, not failed.
[ -n "$snapshot" ] && [ -f "$snapshot" ] || finish 2 "no inventory input: nothing to check"

cluster=$(sed -n 's/^cluster:[[:space:]]*//p' "$snapshot" | head -n 1)
number nodes && nodes=$value
number gpus && gpus=$value
echo "checking the inventory of cluster ${cluster:-unnamed}: $nodes nodes, $gpus GPUs"

check TestRunsAsNonRoot runs_as_non_root
check TestInputReadOnly input_read_only
check TestEnoughNodes at_least nodes "$nodes" "$min_nodes"
check TestEnoughGPUs at_least GPUs "$gpus" "$min_gpus"

total=$((passed + failed))
[ "$failed" -eq 0 ] || finish 1 "$failed of $total checks failed: $failures"
finish 0 "$total checks passed: cluster ${cluster:-unnamed} has $nodes nodes and $gpus GPUs"
