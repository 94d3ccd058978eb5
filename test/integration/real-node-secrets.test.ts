// A secret-marked env value in a real container on the sandbox's real node: the process sees it,
// the pod spec only references the run's Secret, and what the validator prints of it is redacted.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { connect, startRun } from '../../src/client';
import { AesGcmCodec, keyRing } from '../../src/codec';
import { redactedMark } from '../../src/core/secrets';
import { sandboxPolicy } from '../../src/core/policy';
import { createVerdictWorker } from '../../worker/worker';
import { eventually } from '../harness/eventually';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { realNodeName, requireRealNode, script } from '../harness/real-node';

beforeAll(requireRealNode);

const address = () => process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const codec = new AesGcmCodec(keyRing([{ source: 'test', id: 'test-key-1', key: randomBytes(32).toString('base64') }]));

test('a secret env value reaches the process, never the pod spec, and is redacted from its output', async () => {
  const namespace = testNamespace();
  const secret = `s3cr3t-${randomUUID()}`;
  const digest = createHash('sha256').update(`${secret}\n`).digest('hex').slice(0, 16);
  // The pod is read while the validator sleeps, before Verdict deletes it.
  const body = 'echo "length ${#DB_PASSWORD}"; echo "$DB_PASSWORD" | sha256sum | cut -c1-16; echo "printed: $DB_PASSWORD"; sleep 3';
  const suite = { name: 'real-secret', namespace, validators: [script('uses-secret', 'readiness', body, { env: [{ name: 'DB_PASSWORD', value: secret, secret: true }] })] };
  const taskQueue = `verdict-secret-${randomUUID()}`;
  const vw = await createVerdictWorker({ temporalAddress: address(), taskQueue, kubeconfig: process.env.KUBECONFIG, shutdownGraceTimeMs: 5_000, codec, policy: sandboxPolicy });
  const client = await connect({ address: address(), codec });
  try {
    const handle = await startRun(client, { suite }, { taskQueue, workflowId: `real-secret-${randomUUID()}` });
    const watchPod = eventually(async (): Promise<V1Pod | undefined> => (await clients().core.listNamespacedPod({ namespace })).items.find((p) => p.status?.phase === 'Running'), 'the validator pod to run');
    const [output, pod] = await vw.worker.runUntil(Promise.all([handle.result(), watchPod]));

    const env = pod.spec?.containers.find((c) => c.name === 'validator')?.env?.find((e) => e.name === 'DB_PASSWORD');
    expect(env?.value).toBeUndefined();
    expect(env?.valueFrom?.secretKeyRef?.name).toBeTruthy();
    expect(JSON.stringify(pod)).not.toContain(secret);

    const [t] = output.report.results.tests;
    expect(t).toMatchObject({ name: 'uses-secret', status: 'passed', stdout: [`length ${secret.length}`, digest, `printed: ${redactedMark}`], extra: { exitCode: 0, node: realNodeName } });
    expect(JSON.stringify(output)).not.toContain(secret);
  } finally {
    vw.watches.stop();
    await client.connection.close();
  }
});
