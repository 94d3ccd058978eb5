// Cancelling a run while a validator runs: that validator's Job is still read and deleted, the
// validators it never reached report Cancelled, and the run's cleanup still runs.
import { randomUUID } from 'node:crypto';
import { runSuite } from '../../src/workflows';
import { startWorkflowTestEnv, withWorker, type WorkflowTestEnv } from './harness/environment';
import { FakeCluster } from './harness/fake-activities';
import { runInput, validator } from './harness/suites';

let t: WorkflowTestEnv;
beforeAll(async () => (t = await startWorkflowTestEnv()));
afterAll(() => t?.env.teardown());

const cancelled = { status: 'other', reason: 'Cancelled', message: 'cancelled: the run was cancelled before the validator finished' };

test('cancel during a validator: Cancelled results, the Job deleted, cleanup run', async () => {
  const cluster = new FakeCluster({ passes: { exitCode: 0 }, hangs: 'never', 'same-phase': 'never', later: { exitCode: 0 } });
  const input = runInput([validator('passes', 'readiness'), validator('hangs', 'deployment'), validator('same-phase', 'deployment'), validator('later', 'conformance')]);
  const out = await withWorker(t, cluster.activities, async (taskQueue) => {
    const handle = await t.env.client.workflow.start(runSuite, { taskQueue, workflowId: `cancel-${randomUUID()}`, args: [input] });
    await Promise.all([cluster.awaited('hangs'), cluster.awaited('same-phase')]);
    await handle.cancel();
    return handle.result();
  });

  expect(out.status).toBe('cancelled');
  expect(out.report.results.tests.map((r) => ({ name: r.name, status: r.status, reason: r.extra?.reason, message: r.message }))).toEqual([
    { name: 'passes', status: 'passed', reason: 'Completed', message: 'exited 0' },
    { name: 'hangs', ...cancelled },
    { name: 'same-phase', ...cancelled },
    { name: 'later', ...cancelled },
  ]);
  const calls = cluster.calls.filter((c) => !/^awaitJob \S+ cancelled$/.test(c));
  // Each running validator read what its Job left (as cancelled) and deleted it; `later` never deployed.
  for (const v of ['hangs', 'same-phase']) {
    expect(calls.filter((c) => c.includes(` ${v}`))).toEqual([`deployJob ${v}`, `awaitJob ${v}`, `extractResult ${v} cancelled`, `deleteJob ${v}`]);
  }
  expect(calls.filter((c) => c.includes('later'))).toEqual([]);
  // Cleanup once, then the cancelled run is still compared with and recorded in its suite's history, and its origin read.
  expect(calls.slice(-4)).toEqual(['cleanupRunResources', 'compareWithHistory', 'recordRunHistory cancelled', 'runOrigin']);
  expect(calls.filter((c) => c === 'cleanupRunResources')).toHaveLength(1);
});
