// Prometheus metrics of run outcomes: the one definition of their names, labels and buckets.
// Recorded once per run as it ends, by the recordRunHistory activity (src/activities/outcome-metrics.ts),
// on the activity's metric meter: `verdict worker`'s Runtime exports them at /metrics beside the
// SDK's own metrics; where no exporter is installed (`verdict run`'s embedded worker) the meter does nothing.
//
// The names below are the scraped names: the worker's exporter keeps its defaults (no `_total` or
// unit suffix added, no prefix on metrics of our own), so counters carry `_total` themselves and a
// histogram adds only `_bucket`, `_sum` and `_count`. test/integration/outcome-metrics.test.ts
// checks them against a real scrape; test/unit/grafana-dashboard.test.ts holds the dashboard to them.
//
// Labels: suite and cluster on all; status (of the run, or of the validator) on the counters;
// validator on the validators counter only. Its values are the suite's validator names, at most
// maxValidators (500) per suite and the same from run to run, so its series stay bounded (suites x
// validators x statuses seen); the histogram leaves it out, since every bucket would multiply it
// (the history and `verdict diff` keep each validator's durations). Run IDs are never a label.
// The SDK adds namespace, taskQueue and activityType (always recordRunHistory) to each series.

export const outcomeMetrics = {
  runs: {
    name: 'verdict_runs_total',
    kind: 'counter',
    unit: 'runs',
    labels: ['suite', 'cluster', 'status'],
    help: 'Runs ended, by suite, cluster and status (passed, failed, cancelled).',
  },
  validators: {
    name: 'verdict_validators_total',
    kind: 'counter',
    unit: 'validators',
    labels: ['suite', 'cluster', 'validator', 'status'],
    help: "Validators' outcomes in ended runs, by suite, cluster, validator and status (passed, failed, skipped, other).",
  },
  validatorDuration: {
    name: 'verdict_validator_duration_seconds',
    kind: 'histogram',
    unit: 's',
    labels: ['suite', 'cluster'],
    help: 'How long validators ran, in seconds, by suite and cluster (validators that never started are left out).',
  },
  lastRun: {
    name: 'verdict_last_run_timestamp_seconds',
    kind: 'gauge',
    unit: 's',
    labels: ['suite', 'cluster'],
    help: "When the suite's last run on the cluster ended (Unix time, seconds), of the runs this worker process recorded.",
  },
} as const;

/** Labels the SDK puts on every metric of an activity's meter. */
export const sdkLabels = ['namespace', 'taskQueue', 'activityType'] as const;

/** Validator durations from a second to six hours (a suite's deadline is typically hours). */
export const validatorDurationBuckets = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 21600];

/** The exporter's bucket overrides (the SDK's default buckets are milliseconds up to 10 000). */
export const outcomeHistogramBuckets = { [outcomeMetrics.validatorDuration.name]: validatorDurationBuckets };

type Definition = (typeof outcomeMetrics)[keyof typeof outcomeMetrics];

/** Each metric's series names as scraped, with the labels each carries besides the SDK's. */
export const scrapedSeries: ReadonlyMap<string, readonly string[]> = new Map(
  Object.values(outcomeMetrics).flatMap((m: Definition): [string, readonly string[]][] =>
    m.kind === 'histogram' ? [[`${m.name}_bucket`, [...m.labels, 'le']], [`${m.name}_sum`, m.labels], [`${m.name}_count`, m.labels]] : [[m.name, m.labels]],
  ),
);
