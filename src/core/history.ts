// A suite's history on one cluster: a compact summary of each of its last runs, kept by a
// long-lived Temporal workflow (src/workflows/suite-history.ts) that each run signals as it ends.
// Pure: the workflow folds signals with recordRun, and a client reading the workflow's event
// history folds them the same way. See docs/decisions/suite-history.md.
import { utf8Bytes } from './bytes';
import type { Status, ValidatorResult } from './result';

/** The history workflow's type, its signal and its query: one name each, for workflow and client. */
export const historyWorkflowType = 'suiteHistory';
export const recordRunSignalName = 'recordRun';
export const historyQueryName = 'history';

/** One history per suite and cluster. Workflow IDs may hold any character; the suite is a DNS label. */
export const historyWorkflowId = (cluster: string, suite: string) => `verdict-history/${cluster}/${suite}`;

/** Runs kept when the suite does not say (`history.runs`). */
export const defaultHistoryRuns = 100;
/** The history's JSON stays within this, so it fits one payload (the continue-as-new input): the oldest runs go first. */
export const historyBudgetBytes = 1024 * 1024;

const letters = { passed: 'p', failed: 'f', skipped: 's', other: 'o' } as const satisfies Record<Status, string>;
type Letter = (typeof letters)[Status];
const statusOf = Object.fromEntries(Object.entries(letters).map(([s, l]) => [l, s])) as Record<Letter, Status>;

/** A validator's outcome in one run: index into `names`, status letter, duration, exit code, reason. */
type Outcome = [number, Letter, number, number] | [number, Letter, number, number, string];

interface StoredRun {
  runId: string;
  reportId?: string;
  start: number;
  stop: number;
  status: string;
  outcomes: Outcome[];
}

/** The state the history workflow carries (and continues as new with); validator names once, in `names`. */
export interface SuiteHistory {
  suite: string;
  cluster: string;
  keep: number;
  names: string[];
  /** Newest first. */
  runs: StoredRun[];
  /** Runs dropped to stay within the budget although `keep` allowed them. */
  droppedForSize: number;
}

export interface ValidatorSummary {
  name: string;
  status: Status;
  durationMs: number;
  exitCode: number;
  reason?: string;
}

/** What a run sends its history when it ends. */
export interface RunSummary {
  runId: string;
  /** The run's CTRF report ID: a later report names it as its baseline. */
  reportId?: string;
  start: number;
  stop: number;
  status: string;
  /** How many runs the suite keeps (the newest summary's value applies). */
  keep: number;
  validators: ValidatorSummary[];
}

export const emptyHistory = (suite: string, cluster: string, keep = defaultHistoryRuns): SuiteHistory => ({ suite, cluster, keep, names: [], runs: [], droppedForSize: 0 });

export function summarizeRun(run: Omit<RunSummary, 'validators'>, results: ValidatorResult[]): RunSummary {
  const validators = results.map((r) => ({ name: r.name, status: r.status, durationMs: r.durationMs, exitCode: r.exitCode, ...(r.reason ? { reason: r.reason } : {}) }));
  return { ...run, validators };
}

/** The history with `summary` in it: once per run ID (a retried signal changes nothing), newest first, within `keep` and the budget. */
export function recordRun(history: SuiteHistory, summary: RunSummary): SuiteHistory {
  if (history.runs.some((r) => r.runId === summary.runId)) return history;
  const names = [...history.names];
  const index = (name: string) => {
    const i = names.indexOf(name);
    return i >= 0 ? i : names.push(name) - 1;
  };
  const outcomes = summary.validators.map((v): Outcome => {
    const o: Outcome = [index(v.name), letters[v.status], v.durationMs, v.exitCode];
    return v.reason ? [...o, v.reason] : o;
  });
  const run: StoredRun = { runId: summary.runId, ...(summary.reportId ? { reportId: summary.reportId } : {}), start: summary.start, stop: summary.stop, status: summary.status, outcomes };
  const runs = [...history.runs, run].sort((a, b) => b.start - a.start).slice(0, summary.keep);
  return fitBudget(withNames({ ...history, keep: summary.keep, names, runs }));
}

/** Drops names no kept run uses, renumbering the outcomes. */
function withNames(history: SuiteHistory): SuiteHistory {
  const used = [...new Set(history.runs.flatMap((r) => r.outcomes.map((o) => o[0])))].sort((a, b) => a - b);
  const renumber = new Map(used.map((old, i) => [old, i]));
  const runs = history.runs.map((r) => ({ ...r, outcomes: r.outcomes.map(([i, ...rest]) => [renumber.get(i)!, ...rest] as Outcome) }));
  return { ...history, names: used.map((i) => history.names[i]), runs };
}

function fitBudget(history: SuiteHistory): SuiteHistory {
  let h = history;
  while (h.runs.length > 1 && utf8Bytes(JSON.stringify(h)) > historyBudgetBytes) {
    h = withNames({ ...h, runs: h.runs.slice(0, -1), droppedForSize: h.droppedForSize + 1 });
  }
  return h;
}

export type HistoryRun = Omit<RunSummary, 'keep'>;

/** The kept runs, newest first, each validator by name. */
export function runsOf(history: SuiteHistory): HistoryRun[] {
  return history.runs.map((r) => ({
    runId: r.runId,
    ...(r.reportId ? { reportId: r.reportId } : {}),
    start: r.start,
    stop: r.stop,
    status: r.status,
    validators: r.outcomes.map(([i, letter, durationMs, exitCode, reason]) => ({ name: history.names[i], status: statusOf[letter], durationMs, exitCode, ...(reason ? { reason } : {}) })),
  }));
}
