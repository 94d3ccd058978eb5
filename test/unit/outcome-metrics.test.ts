// What a run's end records on the metric meter: each outcome once, on a meter that records calls.
// (The names as really scraped: test/integration/outcome-metrics.test.ts.)
import { randomUUID } from 'node:crypto';
import type { Logger, MetricMeter, MetricTags } from '@temporalio/common';
import { outcomeMetrics } from '../../src/core/outcome-metrics';
import { countedRunsKept, recordOutcomes } from '../../src/activities/outcome-metrics';
import type { RunSummary } from '../../src/core/history';

interface Recorded {
  kind: string;
  name: string;
  value: number;
  tags: MetricTags;
}

/** A meter that keeps every value recorded, with its tags (the meter's, then the call's). */
function recordingMeter(recorded: Recorded[], tags: MetricTags = {}): MetricMeter {
  const metric = (kind: string, name: string) => ({ name, kind, valueType: 'float', withTags: () => { throw new Error('unused'); }, record: (value: number, extra?: MetricTags) => recorded.push({ kind, name, value, tags: { ...tags, ...extra } }) });
  const instrument = (kind: string, name: string) => {
    const m = metric(kind, name);
    return { ...m, add: m.record, set: m.record };
  };
  return {
    createCounter: (name) => instrument('counter', name) as never,
    createHistogram: (name) => instrument('histogram', name) as never,
    createGauge: (name) => instrument('gauge', name) as never,
    withTags: (more) => recordingMeter(recorded, { ...tags, ...more }),
  };
}

const silentLog = (): Logger & { warnings: string[] } => {
  const warnings: string[] = [];
  return { warnings, log() {}, trace() {}, debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} };
};

const summary = (runId = randomUUID()): RunSummary => ({
  runId,
  start: 1_700_000_000_000,
  stop: 1_700_000_090_500,
  status: 'failed',
  keep: 100,
  validators: [
    { name: 'fast', status: 'passed', durationMs: 0, exitCode: 0 },
    { name: 'broken', status: 'failed', durationMs: 42_000, exitCode: 1 },
    { name: 'stuck', status: 'other', durationMs: 600_000, exitCode: -1, reason: 'Timeout' },
    { name: 'never', status: 'skipped', durationMs: 0, exitCode: -1, reason: 'PhaseFailed' },
  ],
});

test("a run's outcomes: the run, each validator, the durations of those that ran, and when it ended", () => {
  const recorded: Recorded[] = [];
  recordOutcomes({ metricMeter: recordingMeter(recorded), log: silentLog() }, { suite: 'nightly', cluster: 'lab', summary: summary() });
  const on = { suite: 'nightly', cluster: 'lab' };
  const { runs, validators, validatorDuration, lastRun } = outcomeMetrics;
  expect(recorded).toEqual([
    { kind: 'counter', name: runs.name, value: 1, tags: { ...on, status: 'failed' } },
    { kind: 'counter', name: validators.name, value: 1, tags: { ...on, validator: 'fast', status: 'passed' } },
    { kind: 'histogram', name: validatorDuration.name, value: 0, tags: on },
    { kind: 'counter', name: validators.name, value: 1, tags: { ...on, validator: 'broken', status: 'failed' } },
    { kind: 'histogram', name: validatorDuration.name, value: 42, tags: on },
    { kind: 'counter', name: validators.name, value: 1, tags: { ...on, validator: 'stuck', status: 'other' } },
    { kind: 'histogram', name: validatorDuration.name, value: 600, tags: on },
    // `never` did not start: counted, with no duration.
    { kind: 'counter', name: validators.name, value: 1, tags: { ...on, validator: 'never', status: 'skipped' } },
    { kind: 'gauge', name: lastRun.name, value: 1_700_000_090.5, tags: on },
  ]);
});

test('the same run recorded again (a retried run end) adds nothing; another run does', () => {
  const recorded: Recorded[] = [];
  const context = { metricMeter: recordingMeter(recorded), log: silentLog() };
  const run = summary();
  recordOutcomes(context, { suite: 's', cluster: 'c', summary: run });
  const once = recorded.length;
  recordOutcomes(context, { suite: 's', cluster: 'c', summary: { ...run, stop: run.stop + 1000 } });
  expect(recorded.length).toBe(once);
  recordOutcomes(context, { suite: 's', cluster: 'c', summary: summary() });
  expect(recorded.length).toBe(2 * once);
});

test('the run IDs kept against double counting are bounded: the oldest is forgotten first', () => {
  const recorded: Recorded[] = [];
  const context = { metricMeter: recordingMeter(recorded), log: silentLog() };
  const oldest = summary();
  const runsCounted = () => recorded.filter((r) => r.name === outcomeMetrics.runs.name && r.tags.suite === 'bounded').length;
  recordOutcomes(context, { suite: 'bounded', cluster: 'c', summary: oldest });
  for (let i = 0; i < countedRunsKept - 1; i++) recordOutcomes(context, { suite: 'bounded', cluster: 'c', summary: { ...oldest, runId: `filler-${i}`, validators: [] } });
  recordOutcomes(context, { suite: 'bounded', cluster: 'c', summary: oldest });
  expect(runsCounted()).toBe(countedRunsKept); // still remembered among the last countedRunsKept
  recordOutcomes(context, { suite: 'bounded', cluster: 'c', summary: { ...oldest, runId: 'one-more', validators: [] } });
  recordOutcomes(context, { suite: 'bounded', cluster: 'c', summary: oldest });
  expect(runsCounted()).toBe(countedRunsKept + 2); // pushed out, so counted again
});

test('a meter that throws is logged, not thrown, and the run is not counted again in part', () => {
  let calls = 0;
  const broken = recordingMeter([]);
  const meter: MetricMeter = {
    ...broken,
    withTags: () => ({
      ...broken,
      createCounter: () => {
        calls++;
        throw new Error('exporter gone');
      },
    }),
  };
  const log = silentLog();
  const run = summary();
  expect(() => recordOutcomes({ metricMeter: meter, log }, { suite: 's', cluster: 'c', summary: run })).not.toThrow();
  expect(log.warnings).toEqual([`the outcome metrics of run ${run.runId} could not be recorded: exporter gone`]);
  recordOutcomes({ metricMeter: meter, log }, { suite: 's', cluster: 'c', summary: run });
  expect(calls).toBe(1);
});
