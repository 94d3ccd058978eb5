// A Verdict worker: the run workflows plus every activity, bound to one Kubernetes cluster.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../src/activities';
import type { NotifySettings } from '../src/activities/notify';
import { workerDataConverter } from '../src/codec';
import { loadKubeConfig, makeClients } from '../src/k8s/client';
import { JobWatches } from '../src/k8s/job-watch';
import { defaultCluster, taskQueueFor } from '../src/core/cluster';
import { defaultPolicy, type Policy } from '../src/core/policy';
import { toolVersion } from '../src/core/run';
import { workerIdentity } from '../src/core/worker-identity';
import { connectionOptions, type ConnectionSettings } from '../temporal-config/connection';
import { workerDefaults } from './config';
import { clusterGuard } from './cluster-guard';

export interface VerdictWorkerOptions {
  temporalAddress: string;
  namespace?: string;
  /** TLS, mTLS or API key settings (see temporal-config/connection.ts); none: plain gRPC. */
  connection?: Omit<ConnectionSettings, 'address' | 'namespace'>;
  /** The cluster this worker serves (default "default"): it refuses activities of runs on another. */
  cluster?: string;
  /** Default: the cluster's task queue (src/core/cluster.ts). */
  taskQueue?: string;
  kubeconfig?: string;
  /** In-flight activities get this long to finish when the worker shuts down. */
  shutdownGraceTimeMs?: number;
  maxConcurrentActivities?: number;
  maxConcurrentWorkflowTasks?: number;
  /** Workflows kept in memory between tasks; the rest are replayed when they next run. */
  maxCachedWorkflows?: number;
  /**
   * What runs may do on this worker's cluster (src/core/policy.ts); without one, the default policy.
   * The sandbox's tests and examples pass `sandboxPolicy` explicitly.
   */
  policy?: Policy;
  /** Where suites' notifications go (worker/notifications.ts); none: only suites' own URLs. */
  notifications?: NotifySettings;
  /** Payload codec (src/codec): workflow inputs, results, activity payloads and failure messages are encrypted in history. */
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

/** Where `npm run build` writes the pre-bundled workflow code (worker/bundle-workflows.ts). */
export const workflowBundlePath = join(__dirname, '..', 'workflow-bundle.js');
/** The same, with the failure converter that encodes failure messages, for workers with a codec. */
export const encodedFailuresBundlePath = join(__dirname, '..', 'workflow-bundle-encoded-failures.js');

/**
 * The compiled CLI (dist/, the Docker image) loads the pre-built bundle: no webpack at start-up.
 * Run from source (tests), this file sits outside dist/ and the workflows are bundled at start
 * (with the data converter's failure converter). The failure converter runs inside the workflow
 * sandbox, so a worker with a codec needs the bundle that holds the encoding one.
 */
export function workflowSource(encodedFailures = false): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> & { workflowModules?: string[] } {
  const bundle = encodedFailures ? encodedFailuresBundlePath : workflowBundlePath;
  return existsSync(bundle) ? { workflowBundle: { codePath: bundle } } : { workflowsPath: require.resolve('../src/workflows'), workflowModules: workflowInterceptorModules };
}

/** The workflow interceptors every bundle holds: the run's cluster on its activities (src/workflows/interceptors.ts). */
export const workflowInterceptorModules = [require.resolve('../src/workflows/interceptors')];

export async function createVerdictWorker(opts: VerdictWorkerOptions): Promise<VerdictWorker> {
  const clients = makeClients(loadKubeConfig(opts.kubeconfig));
  const watches = new JobWatches(clients);
  const { address, namespace, tls, apiKey } = connectionOptions({ ...opts.connection, address: opts.temporalAddress, namespace: opts.namespace });
  const connection = await NativeConnection.connect({ address, tls, apiKey });
  const cluster = opts.cluster ?? defaultCluster;
  const { workflowModules, ...source } = workflowSource(opts.codec !== undefined);
  try {
    const worker = await Worker.create({
      connection,
      namespace,
      taskQueue: opts.taskQueue ?? taskQueueFor(cluster),
      ...source,
      interceptors: { workflowModules, activity: [clusterGuard(cluster)] },
      identity: workerIdentity(`${process.pid}@${hostname()}`, toolVersion, opts.policy ?? defaultPolicy),
      activities: createActivities(clients, watches, opts.policy ?? defaultPolicy, opts.notifications),
      shutdownGraceTime: opts.shutdownGraceTimeMs ?? 30_000,
      maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities ?? workerDefaults.maxConcurrentActivities,
      maxConcurrentWorkflowTaskExecutions: opts.maxConcurrentWorkflowTasks ?? workerDefaults.maxConcurrentWorkflowTasks,
      maxCachedWorkflows: opts.maxCachedWorkflows ?? workerDefaults.maxCachedWorkflows,
      // Codecs run outside the workflow sandbox; the guard refuses secret values stored in clear (src/codec).
      dataConverter: workerDataConverter(opts.codec),
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
