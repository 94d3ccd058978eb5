import fc from 'fast-check';
import { executionAnnotation, managedBy, runIdAnnotation } from '../../src/core/labels';
import { createdByAnnotation, ensuredAtAnnotation } from '../../src/core/namespaces';
import { planSweep, runKeyOf, runsToDescribe, type Found, type PlanOptions, type RunRef, type RunState } from '../../src/core/sweep-plan';

const now = Date.parse('2026-06-01T12:00:00Z');
const day = 86_400_000;
const opts: PlanOptions = { now, retentionMs: 3 * day, namespaces: true, namespaceGraceMs: 10 * 60_000 };

let uid = 0;
function found(kind: Found['kind'], name: string, run?: RunRef, extra: Partial<Found> = {}): Found {
  const annotations: Record<string, string> = {};
  if (run) annotations[runIdAnnotation] = run.runId;
  if (run?.execution) annotations[executionAnnotation] = run.execution;
  const clusterScoped = kind === 'ClusterRoleBinding' || kind === 'Namespace';
  return { kind, name, namespace: clusterScoped ? undefined : 'ns', uid: `uid-${++uid}`, createdMs: now - day, labels: { [managedBy.key]: managedBy.value }, annotations, ...extra };
}
const states = (entries: [RunRef, RunState][]) => new Map(entries.map(([r, s]) => [runKeyOf(r), s]));
const actions = (objects: Found[], s: Map<string, RunState>, o: PlanOptions = opts) => planSweep(objects, s, o).map((d) => `${d.action} ${d.object.name}`);

const closed: RunState = { state: 'closed', status: 'terminated' };
const open: RunState = { state: 'open' };

test("a closed run's objects go, an open run's stay, each with its run and reason", () => {
  const a = { runId: 'nightly-1', execution: 'e-1' };
  const b = { runId: 'nightly-2', execution: 'e-2' };
  const objects = [found('Job', 'job-a', a), found('ClusterRoleBinding', 'crb-a', a), found('Job', 'job-b', b), found('ServiceAccount', 'sa-b', b)];
  const plan = planSweep(objects, states([[a, closed], [b, open]]), opts);
  expect(plan.map((d) => `${d.action} ${d.object.name}`)).toEqual(['delete job-a', 'delete crb-a', 'keep job-b', 'keep sa-b']);
  expect(plan[0]).toMatchObject({ run: a, why: 'run nightly-1 (execution e-1) is closed (terminated)' });
  expect(plan[2]).toMatchObject({ run: b, why: 'run nightly-2 (execution e-2) is open', routine: true });
});

test('the same workflow ID started again: each execution decides for its own objects', () => {
  const old = { runId: 'nightly', execution: 'e-old' };
  const current = { runId: 'nightly', execution: 'e-new' };
  const latest = { runId: 'nightly' };
  const objects = [found('Job', 'old', old), found('Job', 'new', current), found('Job', 'unmarked', latest)];
  expect(runsToDescribe(objects)).toEqual([old, current, latest]);
  // Without an execution annotation, the latest execution decides: open, so it stays.
  expect(actions(objects, states([[old, closed], [current, open], [latest, open]]))).toEqual(['delete old', 'keep new', 'keep unmarked']);
});

test('when in doubt it keeps: no run annotation, Temporal not answering, a run not looked up', () => {
  const r = { runId: 'r' };
  const plan = planSweep([found('Job', 'anonymous'), found('Job', 'unanswered', r), found('Secret', 'unasked', { runId: 'other' })], states([[r, { state: 'error', message: 'deadline exceeded' }]]), opts);
  expect(plan.map((d) => d.action)).toEqual(['keep', 'keep', 'keep']);
  expect(plan.map((d) => d.why)).toEqual([
    `no ${runIdAnnotation} annotation: whose it is cannot be told`,
    'cannot tell whether run r is closed: deadline exceeded',
    'run other was not looked up',
  ]);
  expect(plan.some((d) => d.routine)).toBe(false);
});

test('a run Temporal does not know goes only once the object is older than the retention', () => {
  const r = { runId: 'forgotten', execution: 'e' };
  const unknown = states([[r, { state: 'unknown' }]]);
  expect(actions([found('Job', 'old', r, { createdMs: now - 4 * day })], unknown)).toEqual(['delete old']);
  // Younger than the retention: Temporal should know it, so this is the wrong Temporal namespace (or server).
  const young = planSweep([found('Job', 'young', r, { createdMs: now - day })], unknown, opts)[0];
  expect(young.action).toBe('keep');
  expect(young.why).toMatch(/younger than the retention \(3d\): is this the Temporal namespace the worker uses\?/);
  expect(actions([found('Job', 'old', r, { createdMs: now - 4 * day })], unknown, { ...opts, retentionMs: undefined })).toEqual(['keep old']);
});

test('a stored report and objects already going stay', () => {
  const r = { runId: 'r' };
  const report = found('ConfigMap', 'verdict-x-report', r, { labels: { [managedBy.key]: managedBy.value, 'app.kubernetes.io/component': 'report' } });
  expect(actions([report, found('Pod', 'going', r, { terminating: true })], states([[r, closed]]))).toEqual(['keep verdict-x-report', 'keep going']);
});

describe('namespaces', () => {
  const last = { runId: 'last', execution: 'e' };
  const ours = (extra: Partial<Found> = {}) =>
    found('Namespace', 'ns', last, { ...extra, annotations: { [createdByAnnotation]: 'true', [runIdAnnotation]: last.runId, [executionAnnotation]: last.execution, [ensuredAtAnnotation]: new Date(now - day).toISOString(), ...extra.annotations } });

  test('one Verdict created goes once its last run is closed and it holds nothing that stays', () => {
    const job = found('Job', 'job', last);
    expect(actions([ours(), job], states([[last, closed]]))).toEqual(['delete job', 'delete ns']);
  });

  test('is kept without --namespaces, while its last run is open, within the grace, or holding what stays', () => {
    const s = states([[last, closed]]);
    expect(actions([ours()], s, { ...opts, namespaces: false })).toEqual(['keep ns']);
    expect(actions([ours()], states([[last, open]]))).toEqual(['keep ns']);
    // A run ensured it a minute ago and may not have created anything in it yet.
    expect(actions([ours({ annotations: { [ensuredAtAnnotation]: new Date(now - 60_000).toISOString() } })], s)).toEqual(['keep ns']);
    const other = { runId: 'other' };
    expect(actions([ours(), found('ServiceAccount', 'sa', other)], states([[last, closed], [other, open]]))).toEqual(['keep sa', 'keep ns']);
    const kept = planSweep([ours()], s, { ...opts, others: new Map([['ns', ['Secret/db']]]) })[0];
    expect(kept).toMatchObject({ action: 'keep', why: "it holds objects that are not Verdict's: Secret/db" });
  });

  test('one it did not create is never deleted: an older Verdict\'s label is removed', () => {
    const foreign = found('Namespace', 'default', undefined, { annotations: {} });
    expect(actions([foreign], states([]))).toEqual(['unlabel default']);
  });
});

test('property: nothing of an open run is deleted, nor a namespace Verdict did not create or one holding what stays', () => {
  const runIds = ['a', 'b', 'c'];
  const stateArb: fc.Arbitrary<RunState> = fc.constantFrom<RunState>(open, closed, { state: 'unknown' }, { state: 'error', message: 'x' });
  const objArb = fc.record({
    kind: fc.constantFrom<Found['kind']>('Job', 'Pod', 'ServiceAccount', 'ConfigMap', 'Secret', 'ClusterRoleBinding', 'Namespace'),
    run: fc.option(fc.record({ runId: fc.constantFrom(...runIds), execution: fc.option(fc.constantFrom('e1', 'e2'), { nil: undefined }) }), { nil: undefined }),
    created: fc.boolean(),
    age: fc.integer({ min: 0, max: 10 * day }),
  });
  fc.assert(
    fc.property(fc.array(objArb, { maxLength: 12 }), fc.array(stateArb, { minLength: 9, maxLength: 9 }), (specs, picked) => {
      const objects = specs.map((s, i) => {
        const extra: Partial<Found> = { createdMs: now - s.age, namespace: s.kind === 'Namespace' || s.kind === 'ClusterRoleBinding' ? undefined : 'ns' };
        const o = found(s.kind, s.kind === 'Namespace' ? 'ns' : `o${i}`, s.run, extra);
        if (s.kind === 'Namespace' && s.created) o.annotations[createdByAnnotation] = 'true';
        return o;
      });
      const refs = runsToDescribe(objects);
      const s = new Map(refs.map((r, i) => [runKeyOf(r), picked[i % picked.length]]));
      const plan = planSweep(objects, s, opts);
      const openRun = (o: Found) => {
        const run = runsToDescribe([o])[0];
        return run !== undefined && s.get(runKeyOf(run))?.state === 'open';
      };
      const keptInside = plan.some((d) => d.object.namespace === 'ns' && d.action === 'keep' && !d.object.terminating);
      const safe = (d: (typeof plan)[number]) =>
        d.object.kind === 'Namespace' ? d.object.annotations[createdByAnnotation] === 'true' && !openRun(d.object) && !keptInside : !openRun(d.object);
      return plan.every((d) => d.action !== 'delete' || safe(d));
    }),
  );
});
