// One sweep: find what is labelled ours, ask Temporal about the runs it names, plan (pure, in
// src/core/sweep-plan.ts), then delete what belongs to closed runs. `verdict gc` and the worker's
// periodic sweep both call this.
import type { Client } from '@temporalio/client';
import type { Clients } from '../k8s/client';
import { isVerdictCreated } from '../core/namespaces';
import { describeObject, planSweep, runsToDescribe, type Decision } from '../core/sweep-plan';
import { findOurs, othersIn } from './find';
import { deleteFound, unlabelNamespace, type Removal } from './remove';
import { retentionMs, runStates } from './runs';

export interface SweepOptions {
  /** Only this Kubernetes namespace (and the cluster-scoped objects of runs in it); default: everywhere. */
  namespace?: string;
  /** List what would go, change nothing. */
  dryRun?: boolean;
  /** Also delete namespaces Verdict created once no run uses them. */
  namespaces?: boolean;
  /** A namespace a run ensured less than this long ago stays (default 10 minutes). */
  namespaceGraceMs?: number;
}

export interface SweepOutcome {
  decision: Decision;
  /** What happened: a removal, `would ...` on a dry run, `kept`, or `failed`. */
  result: Removal | 'would delete' | 'would unlabel' | 'kept' | 'failed';
  error?: string;
}

export const defaultNamespaceGraceMs = 10 * 60_000;

export interface SweepResult {
  outcomes: SweepOutcome[];
  /** Kinds not swept, and why. */
  unlisted: string[];
}

export async function sweep(c: Clients, temporal: Client, opts: SweepOptions = {}): Promise<SweepResult> {
  const { objects, unlisted } = await findOurs(c, opts.namespace);
  const [states, retention] = await Promise.all([runStates(temporal, runsToDescribe(objects)), retentionMs(temporal)]);
  const others = new Map<string, string[]>();
  if (opts.namespaces) {
    for (const ns of objects.filter((o) => o.kind === 'Namespace' && isVerdictCreated(o.annotations))) others.set(ns.name, await othersIn(c, ns.name));
  }
  const plan = planSweep(objects, states, { now: Date.now(), retentionMs: retention, namespaces: opts.namespaces ?? false, namespaceGraceMs: opts.namespaceGraceMs ?? defaultNamespaceGraceMs, others });
  const outcomes: SweepOutcome[] = [];
  // In plan order: a namespace goes after what it holds.
  for (const decision of plan) outcomes.push(await carryOut(c, decision, opts.dryRun ?? false));
  return { outcomes, unlisted };
}

async function carryOut(c: Clients, decision: Decision, dryRun: boolean): Promise<SweepOutcome> {
  const { action, object } = decision;
  if (action === 'keep') return { decision, result: 'kept' };
  if (dryRun) return { decision, result: action === 'delete' ? 'would delete' : 'would unlabel' };
  try {
    return { decision, result: action === 'delete' ? await deleteFound(c, object) : await unlabelNamespace(c, object) };
  } catch (err) {
    return { decision, result: 'failed', error: err instanceof Error ? err.message : String(err) };
  }
}

const said: Record<SweepOutcome['result'], string> = {
  deleted: 'deleted',
  gone: 'already gone',
  changed: 'kept (changed since it was listed)',
  unlabelled: 'unlabelled',
  'label not ours': 'kept the label (set by someone else)',
  'would delete': 'would delete',
  'would unlabel': 'would unlabel',
  kept: 'kept',
  failed: 'failed to delete',
};

/** One line per object: what happened, to what, and why. */
export function outcomeLine(o: SweepOutcome): string {
  return `${said[o.result]} ${describeObject(o.decision.object)}: ${o.decision.why}${o.error ? `: ${o.error}` : ''}`;
}

/** Outcomes worth a line: everything but objects kept for the everyday reason. */
export const noteworthy = (o: SweepOutcome) => o.result !== 'kept' || !o.decision.routine;
