// A cluster's lock for exclusive runs: started (or signalled) by the first run that asks
// (requestClusterLock, a signal-with-start), it grants the runs in its queue one at a time and
// ends when nobody is waiting. A holder that closes without releasing (terminated, timed out) is
// noticed by the awaitRunClosed activity, so the next run never waits on a dead one.
import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import { acquireSignalName, dequeue, enqueue, grantedSignalName, holds, lockQueryName, releaseSignalName, type LockHolder, type LockState } from '../core/exclusive';
import { watching } from './activity-options';

export const acquireSignal = wf.defineSignal<[LockHolder]>(acquireSignalName);
export const releaseSignal = wf.defineSignal<[LockHolder]>(releaseSignalName);
export const grantedSignal = wf.defineSignal(grantedSignalName);
export const lockQuery = wf.defineQuery<LockState>(lockQueryName);

/** Grants one execution makes before it continues as new, carrying the queue. */
export const grantsPerExecution = 200;

const { awaitRunClosed } = wf.proxyActivities<Activities>({ ...watching, startToCloseTimeout: '30 days' });

export async function clusterLock(start: LockState): Promise<void> {
  const { cluster } = start;
  let queue = start.queue;
  wf.setHandler(acquireSignal, (h) => void (queue = enqueue(queue, h)));
  wf.setHandler(releaseSignal, (h) => void (queue = dequeue(queue, h)));
  wf.setHandler(lockQuery, () => ({ cluster, queue }));
  for (let grants = 0; queue.length > 0; grants++) {
    if (grants >= grantsPerExecution || wf.workflowInfo().continueAsNewSuggested) return wf.continueAsNew<typeof clusterLock>({ cluster, queue });
    const holder = queue[0];
    wf.setCurrentDetails(`held by run ${holder.workflowId}; ${queue.length - 1} waiting`);
    // A holder that has closed cannot be signalled: it is done with the cluster.
    const granted = await wf.getExternalWorkflowHandle(holder.workflowId, holder.execution).signal(grantedSignal).then(() => true, () => false);
    if (granted) await heldUntilDone(holder, () => holds(queue, holder));
    queue = dequeue(queue, holder);
  }
}

/** Until the holder releases the lock, or closes without doing so. */
async function heldUntilDone(holder: LockHolder, held: () => boolean): Promise<void> {
  const watch = new wf.CancellationScope();
  const closed = watch.run(() => awaitRunClosed(holder)).catch(() => undefined);
  await Promise.race([closed, wf.condition(() => !held())]);
  watch.cancel();
  await closed;
}
