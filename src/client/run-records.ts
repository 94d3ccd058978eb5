// What Temporal keeps of a run, read without a worker: the input it was started with (its
// history's first event) and, once it has ended, its validators' states (from its result).
import type { Client, WorkflowHandle } from '@temporalio/client';
import { decodedValues, eventsOf } from './payloads';
import type { CtrfReport } from '../core/ctrf';
import type { RunInput } from '../core/run';
import type { Phase } from '../core/spec';
import { searchAttributeKeys as sa } from '../../temporal-config/search-attributes';
import { progressQuery, type runSuite, type RunProgress } from '../workflows';

type RunHandle = WorkflowHandle<typeof runSuite>;

/** The run's input as it was started (decoded with the client's codec: secret values come back as they were given). */
export async function runInputOf(client: Client, runId: string): Promise<RunInput> {
  const payloads = (await eventsOf(client, runId))[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  if (!payloads?.length) throw new Error(`run ${runId} has no recorded input`);
  const [input] = await decodedValues<RunInput>(client, payloads);
  return input;
}

/**
 * Each validator's state. A run that completed answers from its result, which needs no worker (a
 * query of an ended run replays it on a worker); one still running, or ended without a result, is queried.
 */
export async function runProgress(handle: RunHandle): Promise<RunProgress> {
  const { status } = await handle.describe();
  if (status.name !== 'COMPLETED') return handle.query(progressQuery);
  const { status: runStatus, report } = await handle.result();
  return { status: runStatus, validators: validatorStates(report) };
}

export function validatorStates(report: CtrfReport): RunProgress['validators'] {
  return report.results.tests.map((t) => ({
    name: t.name,
    phase: t.suite?.[0] as Phase,
    state: t.status,
    ...(t.extra?.reason ? { reason: t.extra.reason } : {}),
    ...(t.message ? { message: t.message } : {}),
  }));
}

export interface RunFilter {
  suite?: string;
  status?: string;
  cluster?: string;
  /** Only runs that completed (so have a report) and started before this. */
  completedBefore?: Date;
}

/** A visibility query for runs, with values quoted for the query language. */
export function runsQuery(f: RunFilter): string {
  const quote = (v: string) => `'${v.replace(/'/g, "\\'")}'`;
  return [
    `WorkflowType = 'runSuite'`,
    f.suite && `${sa.suite.name} = ${quote(f.suite)}`,
    f.status && `${sa.status.name} = ${quote(f.status)}`,
    f.cluster && `${sa.cluster.name} = ${quote(f.cluster)}`,
    f.completedBefore && `ExecutionStatus = 'Completed' AND StartTime < ${quote(f.completedBefore.toISOString())}`,
  ]
    .filter(Boolean)
    .join(' AND ');
}

/**
 * The run of the same suite on the same cluster that started last before `runId` and completed, or
 * undefined. Visibility lists closed runs by close time, so the newest start is picked from a page.
 */
export async function previousRunOf(client: Client, runId: string): Promise<string | undefined> {
  const handle = client.workflow.getHandle(runId);
  const { startTime, typedSearchAttributes } = await handle.describe();
  const suite = typedSearchAttributes.get(sa.suite);
  if (!suite) return undefined;
  const query = runsQuery({ suite, cluster: typedSearchAttributes.get(sa.cluster), completedBefore: startTime });
  let best: { id: string; start: Date } | undefined;
  let seen = 0;
  for await (const w of client.workflow.list({ query, pageSize: 100 })) {
    if (!best || w.startTime > best.start) best = { id: w.workflowId, start: w.startTime };
    if (++seen >= 100) break;
  }
  return best?.id;
}
