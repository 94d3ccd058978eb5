// A Verdict worker: the run workflows plus every activity, bound to one Kubernetes cluster.
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../src/activities';
import { loadKubeConfig, makeClients } from '../src/k8s/client';
import { JobWatches } from '../src/k8s/job-watch';
import { runTaskQueue } from '../src/core/run';

export interface VerdictWorkerOptions {
  temporalAddress: string;
  namespace?: string;
  taskQueue?: string;
  kubeconfig?: string;
  /** In-flight activities get this long to finish when the worker shuts down. */
  shutdownGraceTimeMs?: number;
  /** Payload codec (src/codec): workflow inputs, results and activity payloads are encrypted in history. */
  codec?: PayloadCodec;
  /** Extra Worker options (tests use them for sinks, bundles, identity). */
  overrides?: Partial<WorkerOptions>;
}

export interface VerdictWorker {
  worker: Worker;
  watches: JobWatches;
  /** Runs until shutdown, then closes the connection and the watches. */
  run(): Promise<void>;
}

export async function createVerdictWorker(opts: VerdictWorkerOptions): Promise<VerdictWorker> {
  const clients = makeClients(loadKubeConfig(opts.kubeconfig));
  const watches = new JobWatches(clients);
  const connection = await NativeConnection.connect({ address: opts.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue ?? runTaskQueue,
    workflowsPath: require.resolve('../src/workflows'),
    activities: createActivities(clients, watches),
    shutdownGraceTime: opts.shutdownGraceTimeMs ?? 30_000,
    // Codecs run in the worker's data converter, outside the workflow sandbox.
    ...(opts.codec ? { dataConverter: { payloadCodecs: [opts.codec] } } : {}),
    ...opts.overrides,
  });
  return {
    worker,
    watches,
    async run() {
      try {
        await worker.run();
      } finally {
        watches.stop();
        await connection.close();
      }
    },
  };
}
