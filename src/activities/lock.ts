// The run's side of exclusive use (src/core/exclusive.ts): joining a cluster's queue by
// signal-with-start on the worker's own Temporal client (a workflow cannot signal-with-start),
// and, for the lock, watching its holder until it closes. Both idempotent.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { taskQueueFor } from '../core/cluster';
import { acquireSignalName, lockWorkflowId, lockWorkflowType, type LockHolder } from '../core/exclusive';

/** How often the lock looks at a holder that has not released it. */
const closedPollMs = 5_000;

export const lockActivities = () => ({
  /** Puts the run in line for its cluster, starting the cluster's lock if nobody holds it. */
  async requestClusterLock(input: { cluster: string; holder: LockHolder }): Promise<void> {
    const { cluster, holder } = input;
    await Context.current().client.workflow.signalWithStart(lockWorkflowType, {
      workflowId: lockWorkflowId(cluster),
      taskQueue: taskQueueFor(cluster),
      args: [{ cluster, queue: [] }],
      signal: acquireSignalName,
      signalArgs: [holder],
      staticSummary: `exclusive use of cluster ${cluster}`,
    });
  },
  /** Returns once the holder's execution has closed, whatever closed it; cancelled when the holder releases the lock. */
  async awaitRunClosed(holder: LockHolder): Promise<void> {
    const ctx = Context.current();
    const handle = ctx.client.workflow.getHandle(holder.workflowId, holder.execution);
    for (;;) {
      const status = await handle.describe().then(
        (d) => d.status.name,
        (err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return 'GONE'; // past retention: long closed
          throw err;
        },
      );
      if (status !== 'RUNNING') return;
      ctx.heartbeat();
      await ctx.sleep(closedPollMs);
    }
  },
});
