// Fleet runs on the real servers: one suite on several clusters at once, each on its own workers
// (two cluster identities served by two workers of this sandbox, and a third cluster with none).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verdict } from '../harness/cli';
import type { Client } from '@temporalio/client';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { clients } from '../harness/k8s';
import { sim, suite } from '../harness/suites';
import { eventually } from '../harness/eventually';
import { progressQuery, type runFleet, type runSuite } from '../../src/workflows';
import { createSchedule, startFleet } from '../../src/client';
import { taskQueueFor } from '../../src/core/cluster';
import { clusterRunId, type ClusterOutcome, type FleetMatrix } from '../../src/core/fleet';
import { sandboxPolicy } from '../../src/core/policy';
import { createVerdictWorker, type VerdictWorker } from '../../worker/worker';

const clusterNames = () => {
  const id = randomUUID().slice(0, 8);
  return { a: `fleet-a-${id}`, b: `fleet-b-${id}`, none: `fleet-none-${id}` };
};

/** A worker of `cluster` on this sandbox, running until stopped. */
async function clusterWorker(cluster: string): Promise<{ stop(): Promise<void> }> {
  const vw: VerdictWorker = await createVerdictWorker({ temporalAddress: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', cluster, kubeconfig: process.env.KUBECONFIG, shutdownGraceTimeMs: 1_000, policy: sandboxPolicy });
  const running = vw.worker.run();
  return {
    async stop() {
      vw.worker.shutdown();
      await running;
      vw.watches.stop();
    },
  };
}

const running = (client: Client, workflowId: string, validator: string) =>
  eventually(async () => ((await client.workflow.getHandle<typeof runSuite>(workflowId).query(progressQuery)).validators.find((v) => v.name === validator)?.state === 'running' ? true : undefined), `${validator} to run in ${workflowId}`, 60_000);

test('a fleet run covers every cluster: a lost worker is waited for, a cluster without one is unavailable, and the matrix shows each', async () => {
  const namespace = testNamespace();
  const c = clusterNames();
  const s = suite('fleet', namespace, [sim('ok', 'readiness', { 'exit-code': '0' }), sim('slow', 'deployment', { 'exit-code': '0', 'duration-seconds': '4' })]);
  let b = await clusterWorker(c.b);
  try {
    const out = await withVerdictWorker(
      async (_queue, client) => {
        const fleet = await startFleet(client, { suite: s, clusters: [c.a, c.b, c.none], unavailableAfter: '3s' }, { workflowId: `fleet-${randomUUID()}` });
        // Cluster b loses its worker mid-run; its run waits, and resumes when a worker returns.
        const onB = clusterRunId(fleet.workflowId, c.b);
        await running(client, onB, 'slow');
        await b.stop();
        await new Promise((r) => setTimeout(r, 3_000));
        b = await clusterWorker(c.b);
        return fleet.result();
      },
      taskQueueFor(c.a),
      sandboxPolicy,
      { cluster: c.a },
    );
    expect(out.status).toBe('failed'); // a cluster was unavailable
    const { clusters, matrix } = (out.report.results.extra as { fleet: { clusters: ClusterOutcome[]; matrix: FleetMatrix } }).fleet;
    expect(clusters.map((o) => [o.cluster, o.status])).toEqual([[c.a, 'passed'], [c.b, 'passed'], [c.none, 'unavailable']]);
    expect(clusters[2].message).toBe(`no worker polled task queue verdict-${c.none} within 3s`);
    expect(clusters[1]).toMatchObject({ runId: expect.stringMatching(new RegExp(`@${c.b}$`)) as string, summary: { tests: 2, passed: 2 } });
    expect(matrix.statuses).toEqual({ ok: { [c.a]: 'passed', [c.b]: 'passed' }, slow: { [c.a]: 'passed', [c.b]: 'passed' } });
    expect(out.report.results.tests.map((t) => [t.name, t.status])).toEqual([[c.a, 'passed'], [c.b, 'passed'], [c.none, 'other']]);
    // The reports stay in the clusters' runs: the fleet's result holds summaries only.
    expect(JSON.stringify(out).length).toBeLessThan(4_000);
  } finally {
    await b.stop();
  }
});

test("cancelling a fleet run cancels every cluster's run, which clean up before the fleet ends", async () => {
  const namespace = testNamespace();
  const c = clusterNames();
  const s = suite('fleet-cancel', namespace, [sim('forever', 'deployment', { hang: 'true' })]);
  const b = await clusterWorker(c.b);
  try {
    const out = await withVerdictWorker(
      async (_queue, client) => {
        const fleet = await startFleet(client, { suite: s, clusters: [c.a, c.b] }, { workflowId: `fleet-cancel-${randomUUID()}` });
        for (const cluster of [c.a, c.b]) await running(client, clusterRunId(fleet.workflowId, cluster), 'forever');
        await fleet.cancel();
        const result = await fleet.result();
        for (const cluster of [c.a, c.b]) expect((await client.workflow.getHandle(clusterRunId(fleet.workflowId, cluster)).describe()).status.name).toBe('COMPLETED');
        return result;
      },
      taskQueueFor(c.a),
      sandboxPolicy,
      { cluster: c.a },
    );
    expect(out.status).toBe('cancelled');
    const { clusters } = (out.report.results.extra as { fleet: { clusters: ClusterOutcome[] } }).fleet;
    expect(clusters.map((o) => [o.cluster, o.status, o.validators])).toEqual([
      [c.a, 'cancelled', { forever: 'other' }],
      [c.b, 'cancelled', { forever: 'other' }],
    ]);
    expect((await clients().batch.listNamespacedJob({ namespace })).items).toEqual([]);
  } finally {
    await b.stop();
  }
});

test('verdict run --clusters follows the fleet to its matrix, and refuses a fleet no cluster of which has a worker, starting nothing', async () => {
  const namespace = testNamespace();
  const c = clusterNames();
  const dir = mkdtempSync(join(tmpdir(), 'verdict-fleet-'));
  const file = join(dir, 'suite.json');
  writeFileSync(file, JSON.stringify(suite('fleet-cli', namespace, [sim('ok', 'readiness', { 'exit-code': '0' }), sim('bad', 'deployment', { 'exit-code': '1' })], { failFast: false })));
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const b = await clusterWorker(c.b);
  try {
    const refused = await verdict(['run', file, '--clusters', `${c.none}`, '--address', address]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`clusters: none of ${c.none} has a worker polling its task queue`);

    const ran = await withVerdictWorker(() => verdict(['run', file, '--clusters', `${c.a},${c.b}`, '--address', address]), taskQueueFor(c.a), sandboxPolicy, { cluster: c.a });
    expect(ran.code).toBe(1); // a validator failed
    const matrix = ran.stdout.split('\n').filter((l) => /^(validator|ok|bad)\s/.test(l)).map((l) => l.split(/\s+/));
    expect(matrix).toEqual([
      ['validator', c.a, c.b],
      ['ok', 'passed', 'passed'],
      ['bad', 'failed', 'failed'],
    ]);
  } finally {
    await b.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a fleet schedule starts fleet runs, served from its first cluster', async () => {
  const namespace = testNamespace();
  const c = clusterNames();
  const s = suite('fleet-nightly', namespace, [sim('ok', 'readiness', { 'exit-code': '0' })]);
  const scheduleId = `fleet-nightly-${randomUUID().slice(0, 8)}`;
  await withVerdictWorker(
    async (_queue, client) => {
      const schedule = await createSchedule(client, { scheduleId, input: { suite: s }, cron: '0 2 * * *', fleet: { clusters: [c.a] } });
      try {
        await schedule.trigger();
        const runId = await eventually(async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId, 'the triggered fleet run');
        const out = await client.workflow.getHandle<typeof runFleet>(runId).result();
        expect(out.report.results.tests.map((t) => [t.name, t.status])).toEqual([[c.a, 'passed']]);
      } finally {
        await schedule.delete();
      }
      // A fleet schedule is checked like a fleet run: nothing is created for a bad one.
      await expect(createSchedule(client, { scheduleId: `${scheduleId}-bad`, input: { suite: s }, cron: '0 2 * * *', fleet: { clusters: [c.a, c.a] } })).rejects.toThrow('clusters: each cluster may be named once');
      await expect(client.schedule.getHandle(`${scheduleId}-bad`).describe()).rejects.toThrow();
    },
    taskQueueFor(c.a),
    sandboxPolicy,
    { cluster: c.a },
  );
});
