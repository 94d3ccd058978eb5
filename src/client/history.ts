// A suite's history on a cluster, read from its history workflow's events (the start input
// carried over from the last continue-as-new, then each run's signal): no worker is needed, as a
// query would need one, and a history whose workflow no worker has run yet still reads.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { defaultCluster } from '../core/cluster';
import { historyWorkflowId, recordRun, recordRunSignalName, type RunSummary, type SuiteHistory } from '../core/history';
import { decodedValues, eventsOf } from './payloads';

/** The suite's history on the cluster, or undefined when no run of it has ended there. */
export async function suiteHistoryOf(client: Client, suite: string, cluster = defaultCluster): Promise<SuiteHistory | undefined> {
  const events = await eventsOf(client, historyWorkflowId(cluster, suite)).catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  });
  const start = events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  if (!events || !start?.length) return undefined;
  let [history] = await decodedValues<SuiteHistory>(client, start);
  for (const event of events) {
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal?.signalName !== recordRunSignalName || !signal.input?.payloads?.length) continue;
    const [summary] = await decodedValues<RunSummary>(client, signal.input.payloads);
    history = recordRun(history, summary);
  }
  return history;
}
