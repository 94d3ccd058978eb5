// A run's results as a CTRF report: one test per validator, grouped by phase (its suite), with
// the exit code and Kubernetes reason kept in rawStatus and extra. Pure, so workflows build it.
import { utf8Bytes } from './bytes';
import { fitResults, reportBudgetBytes, type FittedResult } from './report-budget';
import type { Status, SubTest, ValidatorResult } from './result';
import type { Suite } from './spec';
import type { RunInsights, TestInsights } from './insights';
import { isFlaky, type Attempt } from './retries';

export interface CtrfTest {
  name: string;
  status: Status;
  duration: number;
  start?: number;
  stop?: number;
  suite?: string[];
  message?: string;
  rawStatus?: string;
  stdout?: string[];
  insights?: TestInsights;
  /** Retries of `other` outcomes (src/core/retries.ts): how many, each earlier attempt, and whether it passed only after one. */
  retries?: number;
  retryAttempts?: CtrfRetryAttempt[];
  flaky?: boolean;
  extra?: { exitCode: number; reason?: string; podReason?: string; jobReason?: string; node?: string; jobName?: string; stdoutTruncated?: boolean; tests?: SubTest[]; testsOmitted?: number };
}

export interface CtrfRetryAttempt {
  attempt: number;
  status: Status;
  duration: number;
  message?: string;
  start?: number;
  stop?: number;
  extra: { exitCode: number; reason?: string; node?: string; jobName?: string };
}

export interface CtrfReport {
  reportFormat: 'CTRF';
  specVersion: string;
  reportId: string;
  timestamp: string;
  generatedBy: string;
  /** The previous run of the suite on the cluster, which `insights` compare with. */
  baseline?: RunInsights['baseline'];
  insights?: RunInsights['insights'];
  results: {
    tool: { name: string; version?: string };
    summary: { tests: number; passed: number; failed: number; skipped: number; pending: number; other: number; start: number; stop: number };
    tests: CtrfTest[];
    extra?: Record<string, unknown>;
  };
}

export interface ReportMeta {
  /** A UUID (inside a workflow: from its deterministic uuid4()). */
  reportId: string;
  start: number;
  stop: number;
  toolVersion: string;
  extra?: Record<string, unknown>;
  /** How the run compares with its suite's recent runs (src/core/insights.ts). */
  insights?: RunInsights;
}

export const ctrfSpecVersion = '1.0.0';

/** What a run was allowed beyond the restricted defaults; the report always records it. */
export interface SecurityOptIns {
  allowClusterAdmin: boolean;
  /** Validators bound to cluster-admin. */
  clusterAdmin: string[];
  /** Validators that ran privileged, outside the restricted Pod Security Standard. */
  privileged: string[];
  /** Validators bound to a ClusterRole other than the default `view`, with the role. */
  clusterRoles: Record<string, string>;
}

export function securityOptIns(suite: Pick<Suite, 'allowClusterAdmin' | 'validators'>): SecurityOptIns {
  const names = (keep: (v: Suite['validators'][number]) => boolean) => suite.validators.filter(keep).map((v) => v.name);
  return {
    allowClusterAdmin: suite.allowClusterAdmin,
    clusterAdmin: names((v) => v.clusterRole === 'cluster-admin'),
    privileged: names((v) => v.privileged),
    clusterRoles: Object.fromEntries(suite.validators.filter((v) => v.clusterRole !== 'view').map((v) => [v.name, v.clusterRole])),
  };
}

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

export function toCtrfTest(r: FittedResult, insights?: TestInsights): CtrfTest {
  const extra: NonNullable<CtrfTest['extra']> = { exitCode: r.exitCode };
  if (r.reason) extra.reason = r.reason;
  if (r.podReason) extra.podReason = r.podReason;
  if (r.jobReason) extra.jobReason = r.jobReason;
  if (r.node) extra.node = r.node;
  if (r.jobName) extra.jobName = r.jobName;
  if (r.stdoutTruncated) extra.stdoutTruncated = true;
  if (r.tests?.length) extra.tests = r.tests;
  if (r.testsOmitted) extra.testsOmitted = r.testsOmitted;
  const test: CtrfTest = {
    name: r.name,
    status: r.status,
    duration: Math.max(0, Math.round(r.durationMs)),
    suite: [r.phase],
    rawStatus: r.exitCode >= 0 ? `exit code ${r.exitCode}${r.reason ? ` (${r.reason})` : ''}` : (r.reason ?? 'no exit code'),
    extra,
  };
  const start = ms(r.startedAt);
  const stop = ms(r.finishedAt);
  if (start !== undefined) test.start = start;
  if (stop !== undefined) test.stop = stop;
  if (r.message) test.message = r.message;
  if (r.stdout.length) test.stdout = r.stdout;
  if (insights) test.insights = insights;
  if (r.attempts?.length) {
    test.retries = r.attempts.length;
    test.retryAttempts = r.attempts.map(retryAttempt);
    test.flaky = isFlaky(r);
  }
  return test;
}

function retryAttempt(a: Attempt): CtrfRetryAttempt {
  const extra: CtrfRetryAttempt['extra'] = { exitCode: a.exitCode };
  for (const k of ['reason', 'node', 'jobName'] as const) if (a[k] !== undefined) extra[k] = a[k];
  const out: CtrfRetryAttempt = { attempt: a.attempt, status: a.status, duration: Math.max(0, Math.round(a.durationMs)), extra };
  const start = ms(a.startedAt);
  const stop = ms(a.finishedAt);
  if (a.message) out.message = a.message;
  if (start !== undefined) out.start = start;
  if (stop !== undefined) out.stop = stop;
  return out;
}

/** Room left in the budget for the wrapper around the report: `{"status":"cancelled","report":...}`. */
const outputWrapperBytes = 64;

/**
 * The run's CTRF report, fitted so the JSON of `{ status, report }` takes at most `budgetBytes`
 * (Temporal's payload limit is 2 MB): every validator stays, their stdout, sub-tests and messages
 * are cut fairly (see report-budget.ts).
 */
/** What every Verdict report opens with: format, identity, time and tool. */
export const reportHead = (meta: Pick<ReportMeta, 'reportId' | 'stop' | 'toolVersion'>) => ({
  reportFormat: 'CTRF' as const,
  specVersion: ctrfSpecVersion,
  reportId: meta.reportId,
  timestamp: new Date(meta.stop).toISOString(),
  generatedBy: `verdict ${meta.toolVersion}`,
  tool: { name: 'verdict', version: meta.toolVersion },
});

export function buildReport(results: ValidatorResult[], meta: ReportMeta, budgetBytes = reportBudgetBytes): CtrfReport {
  const count = (s: Status) => results.filter((r) => r.status === s).length;
  const { tool, ...head } = reportHead(meta);
  const report: CtrfReport = {
    ...head,
    results: {
      tool,
      summary: { tests: results.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), pending: 0, other: count('other'), start: meta.start, stop: meta.stop },
      tests: [],
      ...(meta.extra ? { extra: meta.extra } : {}),
    },
    // After the results, which readers (and the Web UI's result panel) look at first.
    ...(meta.insights ? { baseline: meta.insights.baseline, insights: meta.insights.insights } : {}),
  };
  const room = budgetBytes - outputWrapperBytes - utf8Bytes(JSON.stringify(report));
  // Each test takes its JSON plus the comma before the next.
  const test = (r: FittedResult) => toCtrfTest(r, meta.insights?.tests[r.name]);
  report.results.tests = fitResults(results, room, (r) => utf8Bytes(JSON.stringify(test(r))) + 1).map(test);
  return report;
}
