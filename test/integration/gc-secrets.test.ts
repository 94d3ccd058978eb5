// The worker's sweep may not list Secrets (a list returns their data), yet a terminated run's Secret
// of secret values must not outlive it: the sweep finds it by the name only that execution makes.
import { randomBytes, randomUUID } from 'node:crypto';
import { testRelease } from '../harness/chart';
import { eventually } from '../harness/eventually';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';
import { secretEnvName } from '../../src/core/names';
import { sandboxPolicy } from '../../src/core/policy';
import { outcomeLine, sweep, sweepScope } from '../../src/sweep/sweep';
import { connect, startRun } from '../../src/client';
import { AesGcmCodec, keyRing } from '../../src/codec';
import { createVerdictWorker } from '../../worker/worker';

test("the worker's sweep deletes a terminated run's Secret by name, without listing Secrets", async () => {
  const namespace = testNamespace();
  const release = testRelease(namespace);
  const admin = clients();
  try {
    expect(release.install().status).toBe(0);
    await release.inForce();
    const worker = await release.workerClients();

    const s = suite('gc-secret', namespace, [sim('forever', 'deployment', { hang: 'true' }, { env: [{ name: 'TOKEN', value: 'gc-secret-value', secret: true }] })]);
    // Secret values travel only encrypted: client and worker share a codec.
    const codec = new AesGcmCodec(keyRing([{ source: 'test', id: 'gc-secrets', key: randomBytes(32).toString('base64') }]));
    const taskQueue = `gc-secret-${randomUUID()}`;
    const client = await connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', codec });
    const vw = await createVerdictWorker({ temporalAddress: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', taskQueue, kubeconfig: process.env.KUBECONFIG, shutdownGraceTimeMs: 5_000, codec, policy: sandboxPolicy });
    const { lines, execution } = await vw.worker.runUntil(async () => {
      const dead = await startRun(client, { suite: s }, { taskQueue, workflowId: `gc-secret-${randomUUID()}` });
      await eventually(async () => ((await admin.core.listNamespacedPod({ namespace })).items.some((p) => p.status?.phase === 'Running') ? true : undefined), 'the pod to run');
      await dead.terminate('leave everything behind');
      const secret = secretEnvName({ runId: dead.workflowId, execution: dead.firstExecutionRunId });
      expect((await admin.core.readNamespacedSecret({ namespace, name: secret })).metadata?.name).toBe(secret);
      // RBAC reaches the authorizer through a cache: sweep as the worker once its binding is seen,
      // where its Roles are (it may list nowhere else), as its periodic sweep does.
      const result = await eventually(async () => {
        const r = await sweep(worker, client, { within: sweepScope([namespace]) });
        return r.unlisted.some((u) => u.startsWith('Secret')) && r.outcomes.some((o) => o.result === 'deleted') ? r : undefined;
      }, 'a sweep as the worker');
      return { lines: result.outcomes.map(outcomeLine), execution: dead.firstExecutionRunId, secret };
    }).finally(() => vw.watches.stop());
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^deleted Secret ${namespace}/verdict-[0-9a-f]{16}-secret-env: .*\\(found by name: Secrets are not listed\\)$`)));
    expect(execution).toBeTruthy();
    expect((await admin.core.listNamespacedSecret({ namespace, labelSelector: 'app.kubernetes.io/managed-by=verdict' })).items).toEqual([]);
  } finally {
    release.uninstall();
  }
});
