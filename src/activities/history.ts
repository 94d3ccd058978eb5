// A run's summary reaches its suite's history through this activity: signal-with-start on the
// worker's own Temporal client (a workflow cannot signal-with-start). Idempotent: the history
// keeps one entry per run ID, so a retried signal changes nothing. The run's insights come from
// the same history, read before the run is added to it.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { failureTypes } from '../core/failures';
import { taskQueueFor } from '../core/cluster';
import { emptyHistory, historyWorkflowId, historyWorkflowType, recordRunSignalName, runsOf, type RunSummary } from '../core/history';
import { runInsights, type RunInsights } from '../core/insights';
import { suiteHistoryOf } from '../client/history';
import { PayloadDecodeError } from '../client/payloads';
import { recordOutcomes } from './outcome-metrics';

export const historyActivities = () => ({
  /** The run against the runs of its suite on its cluster before it (read from the history's events); undefined for a first run. */
  async compareWithHistory(input: { suite: string; cluster: string; summary: RunSummary }): Promise<RunInsights | undefined> {
    const { suite, cluster, summary } = input;
    const history = await suiteHistoryOf(Context.current().client, suite, cluster).catch((err: unknown) => {
      // Retrying cannot decode what another key encrypted: say so at once, and the run's end goes on.
      if (err instanceof PayloadDecodeError) {
        throw ApplicationFailure.nonRetryable(`the history of suite ${suite} on cluster ${cluster} cannot be decoded by this worker (${err.message}): its runs were recorded with a codec key this worker lacks`, failureTypes.historyUnreadable);
      }
      throw err;
    });
    return history && runInsights(summary, runsOf(history).filter((r) => r.runId !== summary.runId && r.start < summary.start));
  },
  /** Records the run in the history of its suite on its cluster, starting that history if it is the first run. */
  async recordRunHistory(input: { suite: string; cluster: string; summary: RunSummary }): Promise<void> {
    const { suite, cluster, summary } = input;
    // Counted first: a run whose history cannot be recorded still counts (once per run in this process).
    recordOutcomes(Context.current(), input);
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
