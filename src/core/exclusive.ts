// Exclusive use of a cluster: one lock workflow per cluster holds a queue of the runs that asked
// for it, first come first served. The head holds the lock until it releases it (its run has
// cleaned up) or closes however it closes (watched from the lock). Pure and workflow-safe; the
// lock is src/workflows/cluster-lock.ts. See docs/decisions/exclusive-runs.md.

/** One run that wants the cluster: its workflow ID and execution (one execution of a reused ID never stands in for another). */
export interface LockHolder {
  workflowId: string;
  execution: string;
}

export interface LockState {
  cluster: string;
  /** The holder first, then the waiting runs in the order they asked. */
  queue: LockHolder[];
}

export const lockWorkflowType = 'clusterLock';
export const lockWorkflowId = (cluster: string) => `verdict-lock/${cluster}`;
export const acquireSignalName = 'acquire';
export const releaseSignalName = 'release';
export const grantedSignalName = 'lockGranted';
export const lockQueryName = 'lock';

const same = (a: LockHolder, b: LockHolder) => a.workflowId === b.workflowId && a.execution === b.execution;

/** The queue with `h` at its end, unless it is in it already (a retried request changes nothing). */
export const enqueue = (queue: LockHolder[], h: LockHolder): LockHolder[] => (queue.some((q) => same(q, h)) ? queue : [...queue, h]);

/** The queue without `h`: a release by the holder, or a waiting run that gave up. */
export const dequeue = (queue: LockHolder[], h: LockHolder): LockHolder[] => queue.filter((q) => !same(q, h));

export const holds = (queue: LockHolder[], h: LockHolder): boolean => queue.length > 0 && same(queue[0], h);

/** Where a run stands, for `verdict status`: held, or its place in line and who holds the cluster. */
export function lockStanding(state: LockState, h: LockHolder): string {
  const place = state.queue.findIndex((q) => same(q, h));
  if (place === 0) return `holds exclusive use of cluster ${state.cluster}`;
  const holder = state.queue[0] ? `, held by run ${state.queue[0].workflowId}` : '';
  if (place < 0) return `waiting for exclusive use of cluster ${state.cluster}: not in line yet${holder}`;
  return `waiting for exclusive use of cluster ${state.cluster}: ${place} run${place === 1 ? '' : 's'} ahead${holder}`;
}
