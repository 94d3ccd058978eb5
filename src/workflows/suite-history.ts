// A suite's history on one cluster, as a workflow that never ends: each run signals its summary as
// it ends (signal-with-start, from the recordRunHistory activity), the workflow folds it in
// (src/core/history.ts) and continues as new before its own history grows large, carrying the kept
// runs. Open workflows are not subject to the namespace's retention, so the kept runs stay.
import * as wf from '@temporalio/workflow';
import { historyQueryName, recordRun, recordRunSignalName, type RunSummary, type SuiteHistory } from '../core/history';

export const recordRunSignal = wf.defineSignal<[RunSummary]>(recordRunSignalName);
export const historyQuery = wf.defineQuery<SuiteHistory>(historyQueryName);

/** Signals one execution takes before it continues as new: each holds a run's summary (at most tens of KiB). */
export const signalsPerExecution = 100;

export async function suiteHistory(start: SuiteHistory): Promise<never> {
  let history = start;
  let signals = 0;
  wf.setHandler(recordRunSignal, (summary) => {
    history = recordRun(history, summary);
    signals++;
  });
  wf.setHandler(historyQuery, () => history);
  await wf.condition(() => signals >= signalsPerExecution || wf.workflowInfo().continueAsNewSuggested);
  return wf.continueAsNew<typeof suiteHistory>(history);
}
