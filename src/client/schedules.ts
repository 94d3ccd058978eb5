// Nightly runs are Temporal Schedules: a cron spec, an overlap policy and the run's input.
import { ScheduleOverlapPolicy, type Client, type ScheduleDescription, type ScheduleHandle } from '@temporalio/client';
import { taskQueueFor } from '../core/cluster';
import { runInputSchema, type RunInput } from '../core/run';
import { describeIssues } from '../core/spec';
import { runSuite } from '../workflows';
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
}

/** Validates the run input (throwing InvalidRunInput, creating nothing) and creates the schedule. */
export async function createSchedule(client: Client, o: ScheduleOptions): Promise<ScheduleHandle> {
  const parsed = runInputSchema.safeParse(o.input);
  if (!parsed.success) throw new InvalidRunInput(describeIssues(parsed.error));
  const suite = parsed.data.suite;
  assertSecretsProtected(client, suite);
  return client.schedule.create({
    scheduleId: o.scheduleId,
    spec: { cronExpressions: [o.cron], timezone: o.timezone },
    action: {
      type: 'startWorkflow',
      workflowType: runSuite,
      args: [o.input],
      taskQueue: o.taskQueue ?? taskQueueFor(parsed.data.cluster),
      workflowId: o.scheduleId, // each run's ID is this plus its scheduled time
      staticSummary: `scheduled run of suite ${suite.name}: ${suite.validators.length} validator(s)`,
    },
    policies: { overlap: overlapPolicies[o.overlap ?? 'skip'], catchupWindow: (o.catchupWindow ?? '1h') as '1h' },
    // Descriptions render cron as calendar specs: keep what the user wrote.
    memo: { cron: o.cron, suite: suite.name },
  });
}

/** The IDs of the runs a schedule started most recently, oldest first. */
export function recentRuns(d: ScheduleDescription): string[] {
  return d.info.recentActions.map((a) => a.action.workflow.workflowId);
}
