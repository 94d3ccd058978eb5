// Nightly runs are Temporal Schedules: a cron spec, an overlap policy and the run's input.
import { ScheduleOverlapPolicy, type Client, type ScheduleDescription, type ScheduleHandle } from '@temporalio/client';
import { taskQueueFor } from '../core/cluster';
import { runInputSchema, type RunInput } from '../core/run';
import { describeIssues } from '../core/spec';
import { runFleet, runSuite } from '../workflows';
import { fleetInputSchema, type FleetInput } from '../core/fleet';
import { InvalidRunInput } from './errors';
import { assertSecretsProtected } from './secrets';

export const overlapPolicies = {
  skip: ScheduleOverlapPolicy.SKIP,
  'buffer-one': ScheduleOverlapPolicy.BUFFER_ONE,
  'cancel-other': ScheduleOverlapPolicy.CANCEL_OTHER,
} as const;
export type Overlap = keyof typeof overlapPolicies;

export interface ScheduleOptions {
  scheduleId: string;
  input: RunInput;
  /** A cron expression, e.g. "0 2 * * *" for 02:00 every night. */
  cron: string;
  timezone?: string;
  /** What to do when the previous run is still going: skip (default), buffer-one, cancel-other. */
  overlap?: Overlap;
  /** Default: the task queue of the run's cluster (src/core/cluster.ts). */
  taskQueue?: string;
  /** Runs missed while the server was down are started if at most this late. */
  catchupWindow?: string;
  /** A fleet schedule: each run covers these clusters (src/core/fleet.ts), served from the first one's queue. */
  fleet?: { clusters: string[]; unavailableAfter?: string };
}

/** A fleet's input from a run's, checked like any fleet's (throwing InvalidRunInput). */
function fleetInput(input: RunInput, fleet: NonNullable<ScheduleOptions['fleet']>): FleetInput {
  const candidate = { suite: input.suite, labels: input.labels, ...fleet };
  const parsed = fleetInputSchema.safeParse(candidate);
  if (!parsed.success) throw new InvalidRunInput(describeIssues(parsed.error));
  return candidate;
}

/** Validates the run input (throwing InvalidRunInput, creating nothing) and creates the schedule. */
export async function createSchedule(client: Client, o: ScheduleOptions): Promise<ScheduleHandle> {
  const parsed = runInputSchema.safeParse(o.input);
  if (!parsed.success) throw new InvalidRunInput(describeIssues(parsed.error));
  const suite = parsed.data.suite;
  assertSecretsProtected(client, suite);
  const workflowId = o.scheduleId; // each run's ID is this plus its scheduled time
  const summary = `scheduled run of suite ${suite.name}: ${suite.validators.length} validator(s)`;
  const common = {
    scheduleId: o.scheduleId,
    spec: { cronExpressions: [o.cron], timezone: o.timezone },
    policies: { overlap: overlapPolicies[o.overlap ?? 'skip'], catchupWindow: (o.catchupWindow ?? '1h') as '1h' },
    // Descriptions render cron as calendar specs: keep what the user wrote.
    memo: { cron: o.cron, suite: suite.name },
  };
  if (o.fleet) {
    const args: [FleetInput] = [fleetInput(o.input, o.fleet)];
    const taskQueue = o.taskQueue ?? taskQueueFor(o.fleet.clusters[0]);
    return client.schedule.create({ ...common, action: { type: 'startWorkflow', workflowType: runFleet, args, taskQueue, workflowId, staticSummary: `${summary} on ${o.fleet.clusters.join(', ')}` } });
  }
  return client.schedule.create({ ...common, action: { type: 'startWorkflow', workflowType: runSuite, args: [o.input], taskQueue: o.taskQueue ?? taskQueueFor(parsed.data.cluster), workflowId, staticSummary: summary } });
}

/** The IDs of the runs a schedule started most recently, oldest first. */
export function recentRuns(d: ScheduleDescription): string[] {
  return d.info.recentActions.map((a) => a.action.workflow.workflowId);
}
