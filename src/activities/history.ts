// A run's summary reaches its suite's history through this activity: signal-with-start on the
// worker's own Temporal client (a workflow cannot signal-with-start). Idempotent: the history
// keeps one entry per run ID, so a retried signal changes nothing.
import { Context } from '@temporalio/activity';
import { taskQueueFor } from '../core/cluster';
import { emptyHistory, historyWorkflowId, historyWorkflowType, recordRunSignalName, type RunSummary } from '../core/history';

export const historyActivities = () => ({
  /** Records the run in the history of its suite on its cluster, starting that history if it is the first run. */
  async recordRunHistory(input: { suite: string; cluster: string; summary: RunSummary }): Promise<void> {
    const { suite, cluster, summary } = input;
    // The history lives on the cluster's task queue, served by its workers (a run's own queue may be a `verdict run`'s, gone with it).
    await Context.current().client.workflow.signalWithStart(historyWorkflowType, {
      workflowId: historyWorkflowId(cluster, suite),
      taskQueue: taskQueueFor(cluster),
      args: [emptyHistory(suite, cluster, summary.keep)],
      signal: recordRunSignalName,
      signalArgs: [summary],
      staticSummary: `history of suite ${suite} on cluster ${cluster}`,
    });
  },
});
