// How big a run's Temporal histories get: runs one suite of N validators (default 200) on the
// sandbox and prints events per history and the largest payload, against Temporal's limits
// (50K events and 2 MB per payload). Usage: npm run bench:history -- [validators]
import { randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import { connect } from '../src/client';
import { loadKubeConfig, makeClients } from '../src/k8s/client';
import { installCliLogger } from '../src/cli/logging';
import { up } from '../src/sandbox/sandbox';
import { runSuite } from '../src/workflows';
import { createVerdictWorker } from '../worker/worker';
import { sandboxPolicy } from '../src/core/policy';
import type { SuiteInput } from '../src/core/spec';
import { validatorWorkflowId } from '../src/core/names';
import { payloadSizes } from './verdict-side';

type History = temporal.api.history.v1.IHistory;

const stdoutLines = Array.from({ length: 20 }, (_, i) => `check ${i}: ok ${'.'.repeat(60)}`).join('\n');

async function main(): Promise<void> {
  installCliLogger();
  const n = Number(process.argv[2] ?? 200);
  const info = await up({ build: true, log: (l) => console.error(`[sandbox] ${l}`) });
  const namespace = `bench-${randomUUID().slice(0, 8)}`;
  const suite: SuiteInput = {
    name: 'history-size',
    namespace,
    concurrency: 50,
    validators: Array.from({ length: n }, (_, i) => ({
      name: `v${i}`,
      phase: 'deployment' as const,
      image: 'example.com/check:1',
      podAnnotations: { 'sandbox.verdict.dev/stdout': stdoutLines, 'sandbox.verdict.dev/exit-code': String(i % 10 === 0 ? 1 : 0) },
    })),
  };
  const client = await connect({ address: info.temporalAddress });
  const taskQueue = `bench-${randomUUID()}`;
  const workflowId = `history-size-${randomUUID()}`;
  // The bench's own namespace (bench-<id>), beside the sandbox's.
  const vw = await createVerdictWorker({ temporalAddress: info.temporalAddress, kubeconfig: info.kubeconfig, taskQueue, shutdownGraceTimeMs: 5_000, policy: { ...sandboxPolicy, allowedNamespaces: [...sandboxPolicy.allowedNamespaces, 'bench-*'] } });
  const started = Date.now();
  const out = await vw.worker.runUntil(client.workflow.execute(runSuite, { taskQueue, workflowId, args: [{ suite }] }));
  const wall = (Date.now() - started) / 1000;
  vw.watches.stop();

  const histories: History[] = [await client.workflow.getHandle(workflowId).fetchHistory()];
  for (const v of suite.validators) histories.push(await client.workflow.getHandle(validatorWorkflowId(workflowId, v.name)).fetchHistory());
  const events = histories.map((h) => h.events?.length ?? 0);
  const childEvents = events.slice(1);
  const largest = Math.max(...histories.flatMap((h) => payloadSizes(h)));
  const summary = out.report.results.summary;
  console.log(`validators: ${n} (${summary.passed} passed, ${summary.failed} failed), wall time ${wall.toFixed(1)}s at concurrency ${suite.concurrency}`);
  console.log(`run history: ${events[0]} events (${(events[0] / n).toFixed(1)} per validator; limit 51,200)`);
  console.log(`validator histories: ${Math.min(...childEvents)}-${Math.max(...childEvents)} events each`);
  console.log(`largest payload: ${(largest / 1024).toFixed(1)} KiB (the run's report; limit 2,048 KiB)`);
  await client.connection.close();
  // The bench namespace is ours: remove it.
  await makeClients(loadKubeConfig(info.kubeconfig)).core.deleteNamespace({ name: namespace });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
