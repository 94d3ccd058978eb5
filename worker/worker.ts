// A Verdict worker: the run workflows plus every activity, bound to one Kubernetes cluster.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../src/activities';
import { loadKubeConfig, makeClients } from '../src/k8s/client';
import { JobWatches } from '../src/k8s/job-watch';
import { runTaskQueue } from '../src/core/run';
import { connectionOptions, type ConnectionSettings } from '../temporal-config/connection';
import { workerDefaults } from './config';

export interface VerdictWorkerOptions {
  temporalAddress: string;
  namespace?: string;
  /** TLS, mTLS or API key settings (see temporal-config/connection.ts); none: plain gRPC. */
  connection?: Omit<ConnectionSettings, 'address' | 'namespace'>;
  taskQueue?: string;
  kubeconfig?: string;
  /** In-flight activities get this long to finish when the worker shuts down. */
  shutdownGraceTimeMs?: number;
  maxConcurrentActivities?: number;
  maxConcurrentWorkflowTasks?: number;
  /** Workflows kept in memory between tasks; the rest are replayed when they next run. */
  maxCachedWorkflows?: number;
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

/** Where `npm run build` writes the pre-bundled workflow code (scripts/bundle-workflows.ts). */
export const workflowBundlePath = join(__dirname, '..', 'workflow-bundle.js');

/**
 * The compiled CLI (dist/, the Docker image) loads the pre-built bundle: no webpack at start-up.
 * Run from source (tests), this file sits outside dist/ and the workflows are bundled at start.
 */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  return existsSync(workflowBundlePath) ? { workflowBundle: { codePath: workflowBundlePath } } : { workflowsPath: require.resolve('../src/workflows') };
}

export async function createVerdictWorker(opts: VerdictWorkerOptions): Promise<VerdictWorker> {
  const clients = makeClients(loadKubeConfig(opts.kubeconfig));
  const watches = new JobWatches(clients);
  const { address, namespace, tls, apiKey } = connectionOptions({ ...opts.connection, address: opts.temporalAddress, namespace: opts.namespace });
  const connection = await NativeConnection.connect({ address, tls, apiKey });
  try {
    const worker = await Worker.create({
      connection,
      namespace,
      taskQueue: opts.taskQueue ?? runTaskQueue,
      ...workflowSource(),
      activities: createActivities(clients, watches),
      shutdownGraceTime: opts.shutdownGraceTimeMs ?? 30_000,
      maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities ?? workerDefaults.maxConcurrentActivities,
      maxConcurrentWorkflowTaskExecutions: opts.maxConcurrentWorkflowTasks ?? workerDefaults.maxConcurrentWorkflowTasks,
      maxCachedWorkflows: opts.maxCachedWorkflows ?? workerDefaults.maxCachedWorkflows,
      // Codecs run in the worker's data converter, outside the workflow sandbox (so a pre-built bundle is fine).
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
  } catch (err) {
    watches.stop();
    await connection.close();
    throw err;
  }
}
