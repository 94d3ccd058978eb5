// Counting an ended run's outcomes on the activity's metric meter (names and labels: src/core/outcome-metrics.ts).
import type { Logger, MetricMeter } from '@temporalio/common';
import type { RunSummary } from '../core/history';
import { outcomeMetrics } from '../core/outcome-metrics';

/** Run IDs counted by this process, oldest first: far more than the runs that end within one activity's retries (10 minutes). */
export const countedRunsKept = 10_000;
const counted = new Set<string>();

/**
 * Counts the ended run's outcomes, once per run ID in this process. recordRunHistory calls it before
 * it signals the history, so a run whose history cannot be recorded still counts, and a retry on
 * this worker (the signal failed) counts nothing again. Not covered: a retry on another worker
 * (the signal failed and the retry went elsewhere, or this worker crashed or lost the completion)
 * counts the run there too; activities run at least once, and workers share no store to ask. A
 * metric that cannot be recorded is logged, never thrown: it must not keep the run out of its history.
 */
export function recordOutcomes({ metricMeter, log }: { metricMeter: MetricMeter; log: Logger }, input: { suite: string; cluster: string; summary: RunSummary }): void {
  const { suite, cluster, summary } = input;
  if (counted.has(summary.runId)) return;
  // Marked first: a run whose metrics failed half-way is not counted again in part.
  counted.add(summary.runId);
  if (counted.size > countedRunsKept) counted.delete(counted.values().next().value!);
  try {
    const meter = metricMeter.withTags({ suite, cluster });
    const { runs, validators, validatorDuration, lastRun } = outcomeMetrics;
    meter.createCounter(runs.name, runs.unit, runs.help).add(1, { status: summary.status });
    const outcomes = meter.createCounter(validators.name, validators.unit, validators.help);
    const durations = meter.createHistogram(validatorDuration.name, 'float', validatorDuration.unit, validatorDuration.help);
    for (const v of summary.validators) {
      outcomes.add(1, { validator: v.name, status: v.status });
      // Never started (skipped after a failed phase, past the deadline, could not run): no exit code and no time.
      if (v.exitCode >= 0 || v.durationMs > 0) durations.record(v.durationMs / 1000);
    }
    meter.createGauge(lastRun.name, 'float', lastRun.unit, lastRun.help).set(summary.stop / 1000);
  } catch (err) {
    log.warn(`the outcome metrics of run ${summary.runId} could not be recorded: ${err instanceof Error ? err.message : String(err)}`, { error: err });
  }
}
