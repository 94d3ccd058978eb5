// How a run compares with its suite's recent history on its cluster, in CTRF's own terms: the
// report's `baseline` (the previous run) and `insights` (rates over the window), and each test's
// `insights` with its change (newly failing, fixed, slower than its median...). Pure.
import { changeOf, failing, type Change } from './diff';
import type { HistoryRun, RunSummary, ValidatorSummary } from './history';
import type { Status } from './result';

/** Runs before this one that rates and medians look at: three weeks of nightly runs. */
export const insightWindow = 20;

export interface MetricDelta {
  current: number;
  baseline: number;
  change: number;
}

export interface TestInsights {
  passRate: MetricDelta;
  flakyRate: MetricDelta;
  averageTestDuration: MetricDelta;
  /** Runs of the window, this one included, the validator ran in (skipped runs do not count). */
  executedInRuns: number;
  extra: { change: Change; medianDurationMs?: number };
}

export interface RunInsights {
  baseline: { reportId: string; timestamp: string; source: string; extra: { runId: string } };
  insights: {
    passRate: MetricDelta;
    failRate: MetricDelta;
    flakyRate: MetricDelta;
    averageRunDuration: MetricDelta;
    runsAnalyzed: number;
    extra: { changes: Partial<Record<Change, number>> };
  };
  tests: Record<string, TestInsights>;
}

const delta = (current: number, baseline: number): MetricDelta => ({ current: round(current), baseline: round(baseline), change: round(current - baseline) });
const round = (n: number) => Math.round(n * 1000) / 1000;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The runs a validator ran in (skipped or absent ones do not count), in order, and how often it flipped between passing and not. */
export function flips(statuses: (Status | undefined)[]): { ran: Status[]; flips: number } {
  const ran = statuses.filter((s): s is Status => s !== undefined && s !== 'skipped');
  return { ran, flips: ran.filter((s, i) => i > 0 && (s === 'passed') !== (ran[i - 1] === 'passed')).length };
}

/** Passes over runs, and flips over consecutive runs (newest first or oldest first alike). */
function rates(statuses: Status[]): { pass: number; flaky: number } {
  const { ran, flips: n } = flips(statuses);
  return { pass: ran.length ? ran.filter((s) => s === 'passed').length / ran.length : 0, flaky: ran.length > 1 ? n / (ran.length - 1) : 0 };
}

/**
 * The run against the runs before it (newest first, this run not among them). Undefined when there
 * is no earlier run with a report to name as the baseline.
 */
export function runInsights(run: Pick<RunSummary, 'validators' | 'start' | 'stop'>, earlier: HistoryRun[]): RunInsights | undefined {
  const window = earlier.slice(0, insightWindow);
  const previous = window[0];
  if (!previous?.reportId) return undefined;
  const tests = Object.fromEntries(run.validators.map((v) => [v.name, testInsights(v, window)]));
  const changes: Partial<Record<Change, number>> = {};
  for (const t of Object.values(tests)) changes[t.extra.change] = (changes[t.extra.change] ?? 0) + 1;
  const share = (vs: ValidatorSummary[], pick: (s: Status) => boolean) => (vs.length ? vs.filter((v) => pick(v.status)).length / vs.length : 0);
  return {
    baseline: { reportId: previous.reportId, timestamp: new Date(previous.stop).toISOString(), source: `verdict run ${previous.runId}`, extra: { runId: previous.runId } },
    insights: {
      passRate: delta(share(run.validators, (s) => s === 'passed'), share(previous.validators, (s) => s === 'passed')),
      failRate: delta(share(run.validators, failing), share(previous.validators, failing)),
      flakyRate: delta(mean(Object.values(tests).map((t) => t.flakyRate.current)), mean(Object.values(tests).map((t) => t.flakyRate.baseline))),
      averageRunDuration: delta(run.stop - run.start, mean(window.map((r) => r.stop - r.start))),
      runsAnalyzed: window.length,
      extra: { changes },
    },
    tests,
  };
}

function testInsights(v: ValidatorSummary, window: HistoryRun[]): TestInsights {
  const past = window.flatMap((r) => r.validators.filter((p) => p.name === v.name));
  const before = window[0].validators.find((p) => p.name === v.name);
  const passedDurations = past.filter((p) => p.status === 'passed').map((p) => p.durationMs);
  const usual = passedDurations.length ? median(passedDurations) : undefined;
  const now = rates([v.status, ...past.map((p) => p.status)]);
  const then = rates(past.map((p) => p.status));
  return {
    passRate: delta(now.pass, then.pass),
    flakyRate: delta(now.flaky, then.flaky),
    averageTestDuration: delta(mean([v.durationMs, ...past.map((p) => p.durationMs)]), mean(past.map((p) => p.durationMs))),
    executedInRuns: [v, ...past].filter((p) => p.status !== 'skipped').length,
    extra: { change: changeOf(v, before, usual), ...(usual !== undefined ? { medianDurationMs: usual } : {}) },
  };
}
