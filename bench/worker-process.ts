// A Verdict worker in its own process, so its memory and connections are its own. It counts its
// HTTP requests to the API server (by verb, from Node's diagnostics channel) and its open watches,
// and answers the bench's questions over IPC.
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { createVerdictWorker } from '../worker/worker';
import { sandboxPolicy } from '../src/core/policy';
import { installCliLogger } from '../src/cli/logging';
import { verbOf } from './verbs';

export interface WorkerStats {
  /** Peak resident memory since the last reset, in bytes. */
  peakRss: number;
  requests: Record<string, number>;
  openWatches: number;
  peakWatches: number;
}

export type WorkerMessage = { type: 'stats' } | { type: 'reset' } | { type: 'stop' };

const apiserver = new URL(process.env.BENCH_APISERVER ?? 'https://127.0.0.1:16443');
const requests: Record<string, number> = {};
let openWatches = 0;
let peakWatches = 0;

subscribe('http.client.request.start', (message) => {
  const req = (message as { request: ClientRequest }).request;
  if (req.host !== apiserver.hostname) return; // only Kubernetes calls go through Node's http (Temporal's are native)
  const verb = verbOf(req.method, new URL(req.path, apiserver), String(req.getHeader('content-type') ?? ''));
  requests[verb] = (requests[verb] ?? 0) + 1;
  if (verb !== 'WATCH') return;
  openWatches++;
  peakWatches = Math.max(peakWatches, openWatches);
  req.once('close', () => openWatches--);
});

const peakRss = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;

async function main(): Promise<void> {
  installCliLogger();
  const vw = await createVerdictWorker({
    temporalAddress: process.env.TEMPORAL_ADDRESS!,
    kubeconfig: process.env.BENCH_KUBECONFIG!,
    taskQueue: process.env.BENCH_TASK_QUEUE!,
    shutdownGraceTimeMs: 5_000,
    // The bench's own namespaces (vb-<id>), beside the sandbox's.
    policy: { ...sandboxPolicy, allowedNamespaces: [...sandboxPolicy.allowedNamespaces, 'vb-*'] },
  });
  process.on('message', (m: WorkerMessage) => {
    if (m.type === 'stop') vw.worker.shutdown();
    if (m.type === 'reset') {
      for (const k of Object.keys(requests)) delete requests[k];
      peakWatches = openWatches;
      writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current RSS
    }
    if (m.type === 'stats' || m.type === 'reset') process.send!({ peakRss: peakRss(), requests: { ...requests }, openWatches, peakWatches } satisfies WorkerStats);
  });
  process.send!({ ready: true });
  await vw.run();
  process.disconnect(); // the IPC channel would keep the process alive
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
