// Fleet runs from the client API: validate (starting nothing on a bad input), then start the fleet
// on the first named cluster with a live worker, which serves it until it ends.
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { taskQueueFor } from '../core/cluster';
import { fleetInputSchema, type FleetInput } from '../core/fleet';
import { describeIssues } from '../core/spec';
import { runFleet } from '../workflows';
import { clusterWorkers } from './clusters';
import { InvalidRunInput } from './errors';
import { assertSecretsProtected } from './secrets';

export type StartedFleet = WorkflowHandleWithFirstExecutionRunId<typeof runFleet>;

/** The first of `clusters` whose queue a worker polls (the fleet's own home), or undefined. */
export async function fleetHome(client: Client, clusters: string[]): Promise<string | undefined> {
  for (const cluster of clusters) if ((await clusterWorkers(client, cluster)).workers.length > 0) return cluster;
  return undefined;
}

export async function startFleet(client: Client, input: FleetInput, opts: { workflowId: string; taskQueue?: string }): Promise<StartedFleet> {
  const parsed = fleetInputSchema.safeParse(input);
  if (!parsed.success) throw new InvalidRunInput(describeIssues(parsed.error));
  const { suite, clusters } = parsed.data;
  assertSecretsProtected(client, suite);
  const home = opts.taskQueue ? undefined : await fleetHome(client, clusters);
  if (!opts.taskQueue && home === undefined) throw new InvalidRunInput(`clusters: none of ${clusters.join(', ')} has a worker polling its task queue; start one (verdict worker --cluster <name>) or check the names with verdict clusters`);
  return client.workflow.start(runFleet, {
    taskQueue: opts.taskQueue ?? taskQueueFor(home!),
    workflowId: opts.workflowId,
    args: [input],
    staticSummary: `suite ${suite.name} on ${clusters.length} cluster(s): ${clusters.join(', ')}`,
  });
}
