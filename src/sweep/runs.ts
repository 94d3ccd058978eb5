// The state in Temporal of the runs the sweeper's objects name. With an execution, that exact
// execution; without one, the latest execution of the workflow ID (open: its objects stay).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { describeRun, runKeyOf, type RunRef, type RunState } from '../core/sweep-plan';

/** Describes at most this many runs at once. */
const parallel = 8;

async function stateOf(client: Client, run: RunRef): Promise<RunState> {
  try {
    const { status } = await client.workflow.getHandle(run.runId, run.execution).describe();
    if (status.name === 'RUNNING') return { state: 'open' };
    // The run goes on in a newer execution: that one decides.
    if (status.name === 'CONTINUED_AS_NEW' && run.execution) return stateOf(client, { runId: run.runId });
    return { state: 'closed', status: status.name.toLowerCase() };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { state: 'unknown' };
    return { state: 'error', message: `describing run ${describeRun(run)}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export async function runStates(client: Client, runs: RunRef[]): Promise<Map<string, RunState>> {
  const states = new Map<string, RunState>();
  let next = 0;
  const lane = async () => {
    while (next < runs.length) {
      const run = runs[next++];
      states.set(runKeyOf(run), await stateOf(client, run));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, runs.length) }, lane));
  return states;
}

/** How long the Temporal namespace keeps closed runs; undefined when it cannot be read. */
export async function retentionMs(client: Client): Promise<number | undefined> {
  try {
    const d = await client.workflowService.describeNamespace({ namespace: client.options.namespace });
    const ttl = d.config?.workflowExecutionRetentionTtl;
    return ttl?.seconds == null ? undefined : Number(ttl.seconds) * 1000;
  } catch {
    return undefined;
  }
}
