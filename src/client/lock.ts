// Where a run waiting for exclusive use of its cluster stands, from the cluster's lock.
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { defaultCluster } from '../core/cluster';
import { lockStanding, lockWorkflowId } from '../core/exclusive';
import { lockQuery } from '../workflows';
import { searchAttributeKeys as sa } from '../../temporal-config/search-attributes';

/** "waiting for exclusive use of cluster c: 2 runs ahead, held by run r", or undefined when the lock cannot say. */
export async function lockStandingOf(client: Client, run: WorkflowExecutionDescription): Promise<string | undefined> {
  const cluster = run.typedSearchAttributes.get(sa.cluster) ?? defaultCluster;
  const state = await client.workflow.getHandle(lockWorkflowId(cluster)).query(lockQuery).catch(() => undefined);
  return state && lockStanding(state, { workflowId: run.workflowId, execution: run.runId });
}
