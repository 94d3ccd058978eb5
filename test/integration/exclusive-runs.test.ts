// Runs that must not overlap: suites with `exclusive: true` wait their turn for their cluster, in
// order, visible in `verdict status`; a run cancelled while waiting leaves the line, and the lock
// goes on when its holder ends, however it ends (released, or terminated without a word).
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { clients } from '../harness/k8s';
import { sim, suite } from '../harness/suites';
import { eventually } from '../harness/eventually';
import { progressQuery, runSuite, lockQuery } from '../../src/workflows';
import { lockStandingOf } from '../../src/client';
import { taskQueueFor } from '../../src/core/cluster';
import { lockWorkflowId } from '../../src/core/exclusive';
import { sandboxPolicy } from '../../src/core/policy';
import { sweep } from '../../src/sweep/sweep';
import { searchAttributeKeys as sa } from '../../temporal-config/search-attributes';

type Run = WorkflowHandle<typeof runSuite>;

test('exclusive runs take their cluster one at a time, in order, whoever ends them and however', async () => {
  const namespace = testNamespace();
  const cluster = `lock-${randomUUID().slice(0, 8)}`;
  const quick = (name: string) => suite(name, namespace, [sim('check', 'deployment', { 'exit-code': '0', 'duration-seconds': '1' })], { exclusive: true });
  const holder = suite('holder', namespace, [sim('forever', 'deployment', { hang: 'true' })], { exclusive: true });

  const started: Run[] = [];
  // The terminated holder leaves its Job and RBAC behind: the sweep removes them, as the worker's would.
  const cleanUp = async (client: Client) => {
    await Promise.all(started.map((h) => h.terminate('test over').catch(() => undefined)));
    await sweep(clients(), client, { namespace });
  };
  await withVerdictWorker(
    (taskQueue, client) => inLine(taskQueue, client).finally(() => cleanUp(client)),
    taskQueueFor(cluster),
    sandboxPolicy,
    { cluster },
  );
  expect((await clients().batch.listNamespacedJob({ namespace })).items).toEqual([]);

  async function inLine(taskQueue: string, client: Client): Promise<void> {
      const start = async (s: ReturnType<typeof suite>) => {
        const h = await client.workflow.start(runSuite, { taskQueue, workflowId: `exclusive-${s.name}-${randomUUID()}`, args: [{ suite: s, cluster }] });
        started.push(h);
        return h;
      };
      const standing = async (h: Run) => lockStandingOf(client, await h.describe());
      const waiting = (h: Run) => eventually(async () => ((await h.query(progressQuery)).waiting ? true : undefined), `${h.workflowId} to wait for the cluster`);
      const lockQueue = async () => (await client.workflow.getHandle(lockWorkflowId(cluster)).query(lockQuery)).queue.map((q) => q.workflowId);

      const a = await start(holder);
      await eventually(async () => ((await a.query(progressQuery)).validators[0].state === 'running' ? true : undefined), 'the holder to run');
      expect(await standing(a)).toBe(`holds exclusive use of cluster ${cluster}`);
      const b = await start(quick('second'));
      await waiting(b);
      const c = await start(quick('third'));
      await waiting(c);
      expect(await standing(b)).toBe(`waiting for exclusive use of cluster ${cluster}: 1 run ahead, held by run ${a.workflowId}`);
      expect(await standing(c)).toBe(`waiting for exclusive use of cluster ${cluster}: 2 runs ahead, held by run ${a.workflowId}`);
      expect((await b.query(progressQuery)).validators[0].state).toBe('pending');
      expect(await searchStatus(b)).toBe('waiting');

      // Cancelled while waiting: it leaves the line and ends cancelled, having created nothing.
      await c.cancel();
      const cancelled = await c.result().then(() => undefined, (e: unknown) => e);
      expect(cancelled).toBeInstanceOf(WorkflowFailedError);
      expect(await searchStatus(c)).toBe('cancelled');
      await eventually(async () => ((await lockQueue()).length === 2 ? true : undefined), 'the cancelled run to leave the line');
      expect(await lockQueue()).toEqual([a.workflowId, b.workflowId]);

      const d = await start(quick('fourth'));
      await waiting(d);
      // The holder is terminated (no cleanup, no release): the lock sees it close and goes on.
      await a.terminate('gone without a word');
      const terminatedAt = Date.now();
      const second = await b.result();
      expect(second.status).toBe('passed');
      const [ranSecond] = second.report.results.tests;
      expect(ranSecond.start).toBeGreaterThanOrEqual(Math.floor(terminatedAt / 1000) * 1000);
      // b released the cluster once it had cleaned up: d's validator started after b's ended (pod times are in whole seconds).
      const fourth = await d.result();
      expect(fourth.status).toBe('passed');
      expect(fourth.report.results.tests[0].start).toBeGreaterThanOrEqual(ranSecond.stop!);
      // Nobody waiting: the lock ends.
      await eventually(async () => ((await client.workflow.getHandle(lockWorkflowId(cluster)).describe()).status.name === 'COMPLETED' ? true : undefined), 'the lock to end');
  }
});

const searchStatus = async (h: Run) => (await h.describe()).typedSearchAttributes.get(sa.status);
