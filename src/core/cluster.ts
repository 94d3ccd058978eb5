// A run names the cluster it checks; each worker serves one cluster. The cluster decides the task
// queue a run goes to, and travels with every activity as a header, so an activity that lands on a
// worker of another cluster is refused there. See docs/decisions/cluster-identity.md.

/** The cluster of a run, or of a worker, that names none. */
export const defaultCluster = 'default';

/** The header every activity and child workflow of a run carries: the run's cluster. */
export const clusterHeader = 'verdict-cluster';

/**
 * The task queue of a cluster's workers: the shared `verdict` for the default cluster (where
 * today's schedules and workers already are), `verdict-<cluster>` for any other.
 */
export const taskQueueFor = (cluster: string): string => (cluster === defaultCluster ? 'verdict' : `verdict-${cluster}`);

/**
 * The cluster a run's input names (its `cluster`, else the default), or undefined when `input` is
 * not a run's input. A fleet run's (`clusters`) names none: its activities only talk to Temporal.
 */
export function clusterOfRunInput(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || !('suite' in input) || 'clusters' in input) return undefined;
  const cluster = (input as { cluster?: unknown }).cluster;
  return typeof cluster === 'string' && cluster.length > 0 ? cluster : defaultCluster;
}

/** Why a worker of `served` must not run an activity of a run on `asked`, or undefined when it may. */
export function wrongCluster(asked: string | undefined, served: string): string | undefined {
  if (asked === undefined || asked === served) return undefined;
  return `this activity belongs to a run on cluster "${asked}", and this worker serves cluster "${served}": start the run on task queue ${taskQueueFor(asked)}, where cluster "${asked}"'s workers poll, and give each task queue workers of one cluster (verdict worker --cluster)`;
}
