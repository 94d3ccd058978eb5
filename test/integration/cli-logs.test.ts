// `verdict logs`: a running validator's output streamed live from its pod on the real node, and a
// finished one's from what the run stored, with no worker and no cluster.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { startRun } from '../../src/client';
import { progressQuery } from '../../src/workflows';
import { verdict } from '../harness/cli';
import { eventually } from '../harness/eventually';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { requireRealNode, script } from '../harness/real-node';
import { suite } from '../harness/suites';
import { withVerdictWorker } from '../harness/verdict-worker';

const lines = Array.from({ length: 6 }, (_, i) => `line ${i + 1}`);

test('logs -f follows a running validator to its end; once finished, its stored output shows even with the cluster out of reach', async () => {
  await requireRealNode();
  const namespace = testNamespace();
  const s = suite(`logs-${randomUUID().slice(0, 8)}`, namespace, [script('talks', 'readiness', 'for i in 1 2 3 4 5 6; do echo "line $i"; sleep 1; done')]);
  const runId = await withVerdictWorker(async (taskQueue, client) => {
    const handle = await startRun(client, { suite: s }, { taskQueue });
    await eventually(async () => ((await handle.query(progressQuery)).validators[0].state === 'running' ? true : undefined), 'the validator to start');
    const followed = await verdict(['logs', handle.workflowId, 'talks', '-f']);
    expect(followed).toMatchObject({ code: 0, stderr: '' });
    expect(followed.stdout.trim().split('\n')).toEqual(lines);
    // -f returned because the container ended: its pod ends (the kubelet reports it a moment after the log closes).
    await eventually(async () => ((await clients().core.listNamespacedPod({ namespace })).items.every((p) => p.status?.phase === 'Succeeded' || p.metadata?.deletionTimestamp) ? true : undefined), 'the pod to end', 15_000);
    await handle.result();
    return handle.workflowId;
  });

  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'verdict-logs-')), 'gone.kubeconfig');
  writeFileSync(kubeconfig, stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'gone', cluster: { server: 'https://127.0.0.1:1' } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'gone', context: { cluster: 'gone', user: 'u' } }], 'current-context': 'gone' }));
  const stored = await verdict(['logs', runId, 'talks'], { KUBECONFIG: kubeconfig });
  expect(stored).toMatchObject({ code: 0, stderr: '' });
  expect(stored.stdout.trim().split('\n')).toEqual(lines);

  const wrong = await verdict(['logs', runId, 'walks']);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toContain(`run ${runId} has no validator walks; its validators are talks`);
});
