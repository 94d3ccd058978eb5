// Verdict's client API: start runs, follow and fetch their reports, cancel them.
//
//   const client = await connect({ address: 'localhost:7233' });
//   const handle = await startRun(client, { suite });
//   const { status, report } = await handle.result();
import { Client, Connection, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { dataConverterWith } from '../codec';
import { taskQueueFor } from '../core/cluster';
import { runInputSchema, type RunInput } from '../core/run';
import { describeIssues } from '../core/spec';
import { progressQuery, runSuite, type RunOutput, type RunProgress } from '../workflows';
import { connectionOptions, type ConnectionSettings } from '../../temporal-config/connection';
import { InvalidRunInput } from './errors';
import { assertSecretsProtected } from './secrets';

export type { RunInput, RunOutput, RunProgress };
export type RunHandle = WorkflowHandle<typeof runSuite>;
/** A run just started: its execution (first run ID) is part of its identity (docs/decisions/run-identity.md). */
export type StartedRun = WorkflowHandleWithFirstExecutionRunId<typeof runSuite>;

export { InvalidRunInput, assertSecretsProtected };

/** A connection profile (temporal-config/connection.ts): address and namespace, plus TLS, mTLS or API key settings. */
export interface ConnectOptions extends ConnectionSettings {
  /** Encrypts what the client sends (failure messages too) and decrypts what it reads (see src/codec). */
  codec?: PayloadCodec;
  /** Who this client is: recorded on the runs it starts and cancels, and in their reports (default: Temporal's, pid@host). */
  identity?: string;
}

/** Connects with the profile's TLS settings; bad settings throw a SettingsError listing every problem. */
export async function connect(opts: ConnectOptions): Promise<Client> {
  const { codec, identity, ...settings } = opts;
  const { address, namespace, tls, apiKey } = connectionOptions(settings);
  const connection = await Connection.connect({ address, tls, apiKey });
  return new Client({ connection, namespace, dataConverter: dataConverterWith(codec), ...(identity ? { identity } : {}) });
}

/** A readable, unique run ID: the suite's name and the start time. */
export function newRunId(suiteName: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${suiteName}-${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}

/** Validates the input (throwing InvalidRunInput, starting nothing) and starts the run, on its cluster's task queue unless `taskQueue` says. */
export async function startRun(client: Client, input: RunInput, opts: { workflowId?: string; taskQueue?: string } = {}): Promise<StartedRun> {
  const parsed = runInputSchema.safeParse(input);
  if (!parsed.success) throw new InvalidRunInput(describeIssues(parsed.error));
  const suite = parsed.data.suite;
  assertSecretsProtected(client, suite);
  return client.workflow.start(runSuite, {
    taskQueue: opts.taskQueue ?? taskQueueFor(parsed.data.cluster),
    workflowId: opts.workflowId ?? newRunId(suite.name),
    args: [input],
    staticSummary: `suite ${suite.name}: ${suite.validators.length} validator(s) in namespace ${suite.namespace}`,
  });
}

export const runHandle = (client: Client, runId: string): RunHandle => client.workflow.getHandle<typeof runSuite>(runId);

export const progressOf = (handle: RunHandle): Promise<RunProgress> => handle.query(progressQuery);

export async function cancelRun(client: Client, runId: string): Promise<void> {
  await runHandle(client, runId).cancel();
}

export { previousRunOf, runInputOf, runProgress, runsQuery, validatorStates, type RunFilter } from './run-records';
export { suiteHistoryOf } from './history';
export { lockStandingOf } from './lock';
export { fleetHome, startFleet, type StartedFleet } from './fleet';
export { createSchedule, recentRuns, overlapPolicies, type Overlap, type ScheduleOptions } from './schedules';
