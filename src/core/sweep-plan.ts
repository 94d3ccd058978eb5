// What the sweeper deletes, decided from the objects labelled ours and the state in Temporal of
// the runs they name. Pure: the I/O (listing, describing, deleting) lives in src/sweep.
// Never anything of an open run; when in doubt (no run annotation, Temporal did not answer, a run
// unknown where it should be known), keep and say why.
import { executionAnnotation, runIdAnnotation } from './labels';
import { ensuredAtAnnotation, isVerdictCreated } from './namespaces';

export const sweptKinds = ['Job', 'Pod', 'ServiceAccount', 'ConfigMap', 'Secret', 'ClusterRoleBinding', 'Namespace'] as const;
export type SweptKind = (typeof sweptKinds)[number];

/** The report ConfigMap a suite asked for (`report.configMap`) is the run's output, not a leftover. */
const reportComponent = { key: 'app.kubernetes.io/component', value: 'report' };

export interface Found {
  kind: SweptKind;
  name: string;
  /** Absent on cluster-scoped objects. */
  namespace?: string;
  uid: string;
  resourceVersion?: string;
  createdMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  terminating?: boolean;
}

/** A run: its workflow ID and, on objects made since it was recorded, the exact execution. */
export interface RunRef {
  runId: string;
  execution?: string;
}

export type RunState =
  | { state: 'open' }
  | { state: 'closed'; status: string }
  /** Temporal does not know it: past retention, or the sweeper asks the wrong Temporal namespace. */
  | { state: 'unknown' }
  | { state: 'error'; message: string };

export type Action = 'delete' | 'keep' | 'unlabel';

export interface Decision {
  object: Found;
  action: Action;
  run?: RunRef;
  why: string;
  /** Kept for the everyday reason (its run is open, it is already going): not worth a line. */
  routine?: boolean;
}

export interface PlanOptions {
  now: number;
  /** The Temporal namespace's retention: a run unknown to Temporal whose object is younger was not forgotten, it is elsewhere. */
  retentionMs?: number;
  /** Whether namespaces Verdict created may be deleted (verdict gc --namespaces). */
  namespaces: boolean;
  /** A namespace a run ensured less than this long ago is kept: that run may not have created anything in it yet. */
  namespaceGraceMs: number;
  /** Objects not labelled ours found in each namespace Verdict created: any of them keeps it. */
  others?: ReadonlyMap<string, string[]>;
}

export const runKeyOf = (r: RunRef) => (r.execution ? `${r.runId}@${r.execution}` : r.runId);
export const describeRun = (r: RunRef) => (r.execution ? `${r.runId} (execution ${r.execution})` : r.runId);
export const describeObject = (o: Pick<Found, 'kind' | 'name' | 'namespace'>) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

export function runOf(o: Found): RunRef | undefined {
  const runId = o.annotations[runIdAnnotation];
  if (!runId) return undefined;
  const execution = o.annotations[executionAnnotation];
  return execution ? { runId, execution } : { runId };
}

/** Each run the objects name, once. */
export function runsToDescribe(objects: Found[]): RunRef[] {
  const runs = new Map<string, RunRef>();
  for (const o of objects) {
    const run = runOf(o);
    if (run) runs.set(runKeyOf(run), run);
  }
  return [...runs.values()];
}

const some = (names: string[]) => (names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`);
const days = (ms: number) => `${Math.round((ms / 86_400_000) * 10) / 10}d`;

/** Whether the run's state lets its objects go, and why (the same words for every kind). */
function byRun(o: Found, run: RunRef | undefined, states: ReadonlyMap<string, RunState>, opts: PlanOptions): { go: boolean; why: string; open?: boolean } {
  if (!run) return { go: false, why: `no ${runIdAnnotation} annotation: whose it is cannot be told` };
  const s = states.get(runKeyOf(run));
  if (!s) return { go: false, why: `run ${describeRun(run)} was not looked up` };
  if (s.state === 'open') return { go: false, why: `run ${describeRun(run)} is open`, open: true };
  if (s.state === 'error') return { go: false, why: `cannot tell whether run ${describeRun(run)} is closed: ${s.message}` };
  if (s.state === 'closed') return { go: true, why: `run ${describeRun(run)} is closed (${s.status})` };
  if (opts.retentionMs === undefined) return { go: false, why: `run ${describeRun(run)} is unknown to Temporal, and its retention could not be read` };
  if (opts.now - o.createdMs < opts.retentionMs)
    return { go: false, why: `run ${describeRun(run)} is unknown to Temporal, though the object is younger than the retention (${days(opts.retentionMs)}): is this the Temporal namespace the worker uses?` };
  return { go: true, why: `run ${describeRun(run)} is unknown to Temporal (past retention)` };
}

function planObject(o: Found, states: ReadonlyMap<string, RunState>, opts: PlanOptions): Decision {
  const run = runOf(o);
  if (o.terminating) return { object: o, action: 'keep', run, why: 'already being deleted', routine: true };
  if (o.kind === 'ConfigMap' && o.labels[reportComponent.key] === reportComponent.value)
    return { object: o, action: 'keep', run, why: 'a stored report (the suite asked for it): delete it when you no longer need it', routine: true };
  const { go, why, open } = byRun(o, run, states, opts);
  return { object: o, action: go ? 'delete' : 'keep', run, why, ...(open ? { routine: true } : {}) };
}

function planNamespace(ns: Found, inside: Decision[], states: ReadonlyMap<string, RunState>, opts: PlanOptions): Decision {
  const run = runOf(ns);
  const keep = (why: string, routine = false): Decision => ({ object: ns, action: 'keep', run, why, ...(routine ? { routine } : {}) });
  if (!isVerdictCreated(ns.annotations))
    return { object: ns, action: 'unlabel', why: 'an existing namespace an older Verdict labelled ours without creating it: removing its label' };
  if (ns.terminating) return keep('already being deleted', true);
  if (!opts.namespaces) return keep('a namespace Verdict created (verdict gc --namespaces removes it once no run uses it)', true);
  const ensured = Date.parse(ns.annotations[ensuredAtAnnotation] ?? '') || ns.createdMs;
  if (opts.now - ensured < opts.namespaceGraceMs) return keep(`a run ensured it ${Math.round((opts.now - ensured) / 1000)}s ago: within the grace period`);
  const held = inside.filter((d) => d.action === 'keep' && !d.object.terminating);
  if (held.length > 0) return keep(`it holds objects that stay: ${some(held.map((d) => describeObject(d.object)))}`);
  const others = opts.others?.get(ns.name) ?? [];
  if (others.length > 0) return keep(`it holds objects that are not Verdict's: ${some(others)}`);
  if (!run) return { object: ns, action: 'delete', why: 'a namespace Verdict created, holding nothing that stays' };
  const { go, why, open } = byRun({ ...ns, createdMs: ensured }, run, states, opts);
  return go ? { object: ns, action: 'delete', run, why: `${why}; it holds nothing that stays` } : keep(why, open);
}

/** One decision per object: namespaces last, since what they hold decides whether they go. */
export function planSweep(objects: Found[], states: ReadonlyMap<string, RunState>, opts: PlanOptions): Decision[] {
  const decisions = objects.filter((o) => o.kind !== 'Namespace').map((o) => planObject(o, states, opts));
  const namespaces = objects.filter((o) => o.kind === 'Namespace').map((ns) => planNamespace(ns, decisions.filter((d) => d.object.namespace === ns.name), states, opts));
  return [...decisions, ...namespaces];
}
