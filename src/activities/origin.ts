// Who started a run and who cancelled it: Temporal records the client's identity on the start and
// on the cancel request, and a schedule's ID on the runs it starts; a workflow cannot read either,
// so this activity reads them from the run's history for its report.
import { Context } from '@temporalio/activity';
import type { RunOrigin } from '../core/run';

/** The search attribute Temporal sets on a run a schedule started. */
const scheduledBy = 'TemporalScheduledById';

export const originActivities = () => ({
  /** The identities that started and cancelled the run (execution), and the schedule that started it. */
  async runOrigin(input: { runId: string; execution?: string }): Promise<RunOrigin> {
    const handle = Context.current().client.workflow.getHandle(input.runId, input.execution);
    const [{ events }, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
    const startedBy = events?.[0]?.workflowExecutionStartedEventAttributes?.identity || undefined;
    const cancelledBy = events?.find((e) => e.workflowExecutionCancelRequestedEventAttributes)?.workflowExecutionCancelRequestedEventAttributes?.identity || undefined;
    const schedule = description.searchAttributes[scheduledBy]?.[0];
    return { ...(startedBy ? { startedBy } : {}), ...(cancelledBy ? { cancelledBy } : {}), ...(typeof schedule === 'string' ? { schedule } : {}) };
  },
});
