// Which clusters have live workers: each known cluster's task queue, asked who polled it lately
// (workflow and activity pollers both), with what each worker says of itself in its identity
// (src/core/worker-identity.ts). Clusters are known from recent runs (their VerdictCluster search
// attribute) and from the caller; the default cluster is always asked about.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { defaultCluster, taskQueueFor } from '../core/cluster';
import { parseWorkerIdentity, type WorkerIdentity } from '../core/worker-identity';
import { searchAttributeKeys as sa } from '../../temporal-config/search-attributes';

export interface ClusterWorker extends WorkerIdentity {
  identity: string;
  lastSeen: Date;
}

export interface ClusterWorkers {
  cluster: string;
  taskQueue: string;
  workers: ClusterWorker[];
}

/** Recent runs read for the clusters they name. */
const recentRunsRead = 500;

/** Clusters named by recent runs, the default cluster, and `also`, sorted. */
export async function knownClusters(client: Client, also: string[] = []): Promise<string[]> {
  const seen = new Set([defaultCluster, ...also]);
  let read = 0;
  for await (const w of client.workflow.list({ query: `WorkflowType = 'runSuite'`, pageSize: 100 })) {
    const cluster = w.typedSearchAttributes.get(sa.cluster);
    if (cluster) seen.add(cluster);
    if (++read >= recentRunsRead) break;
  }
  return [...seen].sort();
}

const { TaskQueueType, TaskQueueKind } = temporal.api.enums.v1;

/** Who polled the cluster's task queue lately (Temporal forgets a poller a few minutes after its last poll), newest first. */
export async function clusterWorkers(client: Client, cluster: string): Promise<ClusterWorkers> {
  const taskQueue = taskQueueFor(cluster);
  const byIdentity = new Map<string, ClusterWorker>();
  for (const taskQueueType of [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY]) {
    const { pollers } = await client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL }, taskQueueType });
    for (const p of pollers ?? []) {
      if (!p.identity) continue;
      const lastSeen = new Date(Number(p.lastAccessTime?.seconds ?? 0) * 1000);
      const known = byIdentity.get(p.identity);
      if (!known || known.lastSeen < lastSeen) byIdentity.set(p.identity, { identity: p.identity, ...parseWorkerIdentity(p.identity), lastSeen });
    }
  }
  return { cluster, taskQueue, workers: [...byIdentity.values()].sort((a, b) => b.lastSeen.getTime() - a.lastSeen.getTime()) };
}
