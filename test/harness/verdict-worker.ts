// A real Verdict worker (workflows + activities) on a fresh task queue, for the duration of `fn`.
// Tests run in `vt-*` namespaces, which only the sandbox policy allows: it is passed explicitly.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { createVerdictWorker, type VerdictWorkerOptions } from '../../worker/worker';
import { withClient } from './temporal';
import { sandboxPolicy, type Policy } from '../../src/core/policy';

export async function withVerdictWorker<T>(
  fn: (taskQueue: string, client: Client) => Promise<T>,
  taskQueue = `verdict-test-${randomUUID()}`,
  policy: Policy = sandboxPolicy,
  options: Partial<VerdictWorkerOptions> = {},
): Promise<T> {
  const vw = await createVerdictWorker({ temporalAddress: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', taskQueue, kubeconfig: process.env.KUBECONFIG, shutdownGraceTimeMs: 5_000, policy, ...options });
  try {
    return await withClient((client) => vw.worker.runUntil(fn(taskQueue, client)));
  } finally {
    vw.watches.stop();
  }
}
