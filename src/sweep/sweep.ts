// One sweep: find what is labelled ours, ask Temporal about the runs it names, plan (pure, in
// src/core/sweep-plan.ts), then delete what belongs to closed runs. `verdict gc` and the worker's
// periodic sweep both call this.
import type { Client } from '@temporalio/client';
import type { Clients } from '../k8s/client';
import { isVerdictCreated } from '../core/namespaces';
import { executionAnnotation, identityAnnotations } from '../core/labels';
import { secretEnvName } from '../core/names';
import { describeObject, planSweep, runsToDescribe, type Decision, type Found } from '../core/sweep-plan';
import { findOurs, othersIn } from './find';
import { deleteFound, unlabelNamespace, type Removal } from './remove';
import { retentionMs, runStates } from './runs';

export interface SweepOptions {
  /** Only this Kubernetes namespace (and the cluster-scoped objects of runs in it); default: everywhere. */
  namespace?: string;
  /** Only these namespaces, one at a time: a worker whose Roles are there alone cannot list everywhere. */
  within?: string[];
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

/** Where a worker sweeps: the namespaces its policy names, when they are plain names; else everywhere. */
export const sweepScope = (allowedNamespaces: string[]): string[] | undefined => (allowedNamespaces.some((n) => n.includes('*')) ? undefined : allowedNamespaces);

export async function sweep(c: Clients, temporal: Client, opts: SweepOptions = {}): Promise<SweepResult> {
  const scopes = opts.namespace !== undefined ? [opts.namespace] : (opts.within ?? [undefined]);
  const found = await Promise.all(scopes.map((ns) => findOurs(c, ns)));
  const objects = found.flatMap((f) => f.objects);
  const unlisted = [...new Set(found.flatMap((f) => f.unlisted))];
  const [states, retention] = await Promise.all([runStates(temporal, runsToDescribe(objects)), retentionMs(temporal)]);
  const others = new Map<string, string[]>();
  if (opts.namespaces) {
    for (const ns of objects.filter((o) => o.kind === 'Namespace' && isVerdictCreated(o.annotations))) others.set(ns.name, await othersIn(c, ns.name));
  }
  const plan = planSweep(objects, states, { now: Date.now(), retentionMs: retention, namespaces: opts.namespaces ?? false, namespaceGraceMs: opts.namespaceGraceMs ?? defaultNamespaceGraceMs, others });
  const outcomes: SweepOutcome[] = [];
  // In plan order: a namespace goes after what it holds.
  for (const decision of plan) outcomes.push(await carryOut(c, decision, opts.dryRun ?? false));
  // Without `list` on Secrets (the worker has none: a list returns their data), a closed run's Secret
  // of secret values is found by its name, which only that execution's key makes.
  if (unlisted.some((u) => u.startsWith('Secret'))) {
    for (const decision of secretsByName(plan)) outcomes.push(await carryOut(c, decision, opts.dryRun ?? false));
  }
  return { outcomes, unlisted };
}

/** A delete decision for the Secret of each closed run (with an execution) whose namespaced objects go. */
function secretsByName(plan: Decision[]): Decision[] {
  const seen = new Map<string, Decision>();
  for (const d of plan) {
    const execution = d.object.annotations[executionAnnotation];
    if (d.action !== 'delete' || !d.object.namespace || !d.run || !execution) continue;
    const run = { runId: d.run.runId, execution };
    const name = secretEnvName(run);
    const object: Found = { kind: 'Secret', name, namespace: d.object.namespace, uid: '', createdMs: 0, labels: {}, annotations: identityAnnotations(run), terminating: false };
    seen.set(`${object.namespace}/${name}`, { object, action: 'delete', run: d.run, why: `${d.why} (found by name: Secrets are not listed)`, routine: true });
  }
  return [...seen.values()];
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

/** Outcomes worth a line: everything but objects kept for the everyday reason, and Secrets looked for by name that were never there. */
export const noteworthy = (o: SweepOutcome) => !o.decision.routine || (o.result !== 'kept' && o.result !== 'gone');
