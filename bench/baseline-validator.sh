#!/usr/bin/env bash
# One validator, the way a careful user scripts it with plain kubectl: apply the Job, wait for it
# to complete or fail, read its logs and exit code, delete it with foreground propagation, and
# wait for its pod to go. Prints: <job> <exit code> <start ms> <result recorded ms> <end ms>.
# Usage: baseline-validator.sh <manifest> <namespace> <job> <timeout seconds> <log dir>
# Env: KUBECTL, KUBECONFIG, KUBECTL_CACHE. kubectl runs at -v=6 so the bench can count its requests.
set -uo pipefail
manifest=$1 ns=$2 job=$3 timeout=$4 logdir=$5
k() { "$KUBECTL" --kubeconfig="$KUBECONFIG" --cache-dir="$KUBECTL_CACHE" -n "$ns" -v=6 "$@" 2>>"$logdir/$job.log"; }
now() { date +%s%3N; }

start=$(now)
k apply -f "$manifest" >/dev/null || { echo "$job apply-failed $start $(now) $(now)"; exit 0; }
# kubectl wait cannot wait for "Complete or Failed": run one wait for each, take the first to return.
k wait --for=condition=Complete "job/$job" --timeout="${timeout}s" >/dev/null &
ok=$!
k wait --for=condition=Failed "job/$job" --timeout="${timeout}s" >/dev/null &
bad=$!
wait -n "$ok" "$bad"
kill "$ok" "$bad" 2>/dev/null
wait "$ok" "$bad" 2>/dev/null
k logs "job/$job" >"$logdir/$job.stdout"
code=$(k get pods -l "job-name=$job" -o 'jsonpath={.items[0].status.containerStatuses[0].state.terminated.exitCode}')
recorded=$(now)
k delete job "$job" --cascade=foreground --wait=true >/dev/null
k wait --for=delete pod -l "job-name=$job" --timeout=60s >/dev/null 2>&1 || true
echo "$job ${code:--1} $start $recorded $(now)"
