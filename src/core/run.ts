// The run workflow's input and the pure decisions it makes: phase order, what a skipped or
// cancelled validator reports, and the run's overall status.
import { z } from 'zod';
import { defaultCluster } from './cluster';
import { reasons } from './reasons';
import type { Status, ValidatorResult } from './result';
import { phases, reportLabelsSchema, suiteSchema, type Phase, type Suite, type ValidatorSpec } from './spec';

/** The run workflow takes one object (the Web UI passes exactly one JSON argument). */
export const runInputSchema = z.strictObject({
  suite: suiteSchema,
  /** Free-form labels recorded on the run's report. */
  labels: reportLabelsSchema.default({}),
  /** The cluster the run checks: it goes to that cluster's workers (src/core/cluster.ts), and is shown in search attributes and the report. */
  cluster: z.string().min(1).max(200).default(defaultCluster),
});

export type RunInput = z.input<typeof runInputSchema>;

/** Who started a run and who cancelled it (Temporal clients' identities), and the schedule that started it: in the report's extra. */
export interface RunOrigin {
  startedBy?: string;
  cancelledBy?: string;
  schedule?: string;
}
export type Run = z.output<typeof runInputSchema>;

/**
 * The longest run ID (workflow ID) a run accepts: its validators' workflow IDs add "/" and a name of
 * up to 63 characters, and must stay within Temporal's default limit of 1,000.
 */
export const maxRunIdLength = 1000 - 64;

/** Why a run ID cannot be used, or undefined when it can. */
export const runIdProblem = (runId: string): string | undefined =>
  runId.length > maxRunIdLength ? `the run ID (workflow ID) is ${runId.length} characters long; a run's ID must be at most ${maxRunIdLength}, so its validators' IDs fit Temporal's limit: choose a shorter one` : undefined;
export const toolVersion = '0.1.0';

/** Validators grouped by phase, in the fixed phase order, skipping empty phases. */
export function phasePlan(suite: Suite): { phase: Phase; validators: ValidatorSpec[] }[] {
  return phases.map((phase) => ({ phase, validators: suite.validators.filter((v) => v.phase === phase) })).filter((p) => p.validators.length > 0);
}

export function placeholderResult(v: ValidatorSpec, status: Status, reason: string, message: string): ValidatorResult {
  return { name: v.name, phase: v.phase, status, exitCode: -1, reason, message, stdout: [], durationMs: 0 };
}

export const skippedAfter = (v: ValidatorSpec, failedPhase: Phase) =>
  placeholderResult(v, 'skipped', reasons.phaseFailed, `skipped: phase "${failedPhase}" failed and the suite has failFast`);

/** A validator the run's deadline stopped (it was cancelled as the deadline passed): it says so, not "cancelled". */
export const pastDeadline = (r: ValidatorResult, deadline: string): ValidatorResult =>
  r.reason === reasons.cancelled ? { ...r, reason: reasons.runDeadline, message: `the run's deadline of ${deadline} passed before the validator finished` } : r;

export const cancelledResult = (v: ValidatorSpec) => placeholderResult(v, 'other', reasons.cancelled, 'cancelled: the run was cancelled before the validator finished');

/** A phase fails when any validator in it failed (`other` alone does not stop a run). */
export const phaseFailed = (results: ValidatorResult[]) => results.some((r) => r.status === 'failed');

export type RunStatus = 'passed' | 'failed' | 'cancelled';

export function runStatus(results: ValidatorResult[], cancelled: boolean): RunStatus {
  if (cancelled) return 'cancelled';
  return results.some((r) => r.status === 'failed' || r.status === 'other') ? 'failed' : 'passed';
}

/** Every distinct ClusterRole the suite's validators are bound to. */
export const clusterRolesOf = (suite: Suite) => [...new Set(suite.validators.map((v) => v.clusterRole))].sort();

/** A validator Verdict could not run (or whose result it could not read), with the root cause. */
export const couldNotRun = (v: Pick<ValidatorSpec, 'name' | 'phase'>, why: string, jobName?: string): ValidatorResult => ({
  ...placeholderResult(v as ValidatorSpec, 'other', reasons.couldNotRun, `the validator could not run: ${why}`),
  ...(jobName ? { jobName } : {}),
});

/**
 * The innermost message of a failure chain: a child workflow failed because an activity failed
 * because the API server refused, and the API server's words are what the reader needs.
 */
export function rootMessage(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

/** The result with `note` added to its message (notes say what Verdict could not do afterwards). */
export const withNote = (r: ValidatorResult, note: string): ValidatorResult => ({ ...r, message: r.message ? `${r.message}; ${note}` : note });
