// Runs workloads through Verdict: one run per workload, all at once, on the bench's worker
// process; then reads every history for detection times, event counts and payload sizes.
import type { ChildProcess } from 'node:child_process';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { runSuite } from '../src/workflows';
import { delta } from './prometheus';
import { dispatchedByFlowSchema, requestsByVerb, scrape } from './metrics';
import type { PodTerminalTimes } from './pod-watch';
import type { SideResult } from './results';
import type { Workload } from './workload';
import type { WorkerMessage, WorkerStats } from './worker-process';
import { jobName, validatorWorkflowId } from '../src/core/names';

type History = temporal.api.history.v1.IHistory;

export interface VerdictContext {
  client: Client;
  worker: ChildProcess;
  taskQueue: string;
  flowSchema: string;
  pods: PodTerminalTimes;
}

export function askWorker(worker: ChildProcess, m: WorkerMessage): Promise<WorkerStats> {
  return new Promise((resolve) => {
    worker.once('message', (s: WorkerStats) => resolve(s));
    worker.send(m);
  });
}

/** Sizes of every payload anywhere in a history. */
export function payloadSizes(value: unknown, out: number[] = []): number[] {
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return out;
  const v = value as { data?: unknown; metadata?: unknown };
  if (v.data instanceof Uint8Array && v.metadata) out.push(v.data.length);
  for (const child of Object.values(value)) payloadSizes(child, out);
  return out;
}

const eventMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);

/** When the validator's result was recorded: the completion of its extractResult activity. */
function recordedAt(h: History): number | undefined {
  const events = h.events ?? [];
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'extractResult');
  const done = events.find((e) => scheduled && Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === Number(scheduled.eventId));
  return done ? eventMs(done.eventTime) : undefined;
}

async function inBatches<T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

export async function runVerdict(ctx: VerdictContext, workloads: Workload[], meta: { benchId: string; durationSeconds: number }): Promise<SideResult> {
  await askWorker(ctx.worker, { type: 'reset' });
  const before = await scrape();
  const started = Date.now();
  const ids = workloads.map((_, i) => `bench-${meta.benchId}-${started}-${i}`);
  const handles = await Promise.all(workloads.map((w, i) => ctx.client.workflow.start(runSuite, { taskQueue: ctx.taskQueue, workflowId: ids[i], args: [{ suite: w.suite }] })));
  const outs = await Promise.all(handles.map((h) => h.result()));
  const wallMs = Date.now() - started;
  const after = await scrape();
  const stats = await askWorker(ctx.worker, { type: 'stats' });

  let correct = 0;
  const latencies: number[] = [];
  const exitLatencies: number[] = [];
  const events: number[] = [];
  const payloads: number[] = [];
  for (const [i, w] of workloads.entries()) {
    for (const t of outs[i].report.results.tests) if (w.expected.get(t.name) === t.status) correct++;
    const workflowIds = [ids[i], ...w.suite.validators.map((v) => validatorWorkflowId(ids[i], v.name))];
    const histories = await inBatches(workflowIds, 16, (id) => ctx.client.workflow.getHandle(id).fetchHistory());
    for (const [j, h] of histories.entries()) {
      events.push(h.events?.length ?? 0);
      payloads.push(...payloadSizes(h));
      if (j === 0) continue;
      const job = jobName({ runId: ids[i], execution: handles[i].firstExecutionRunId }, w.suite.validators[j - 1].name);
      const [terminal, exited, recorded] = [ctx.pods.times.get(job), ctx.pods.exits.get(job), recordedAt(h)];
      if (terminal !== undefined && recorded !== undefined) latencies.push(recorded - terminal);
      if (exited !== undefined && recorded !== undefined) exitLatencies.push(recorded - exited);
    }
  }
  const validators = workloads.reduce((n, w) => n + w.suite.validators.length, 0);
  const fs = delta(dispatchedByFlowSchema(before), dispatchedByFlowSchema(after));
  return {
    side: 'verdict',
    validators,
    runs: workloads.length,
    concurrency: workloads.reduce((n, w) => n + (w.suite.concurrency ?? 4), 0),
    durationSeconds: meta.durationSeconds,
    wallMs,
    correct,
    latencies,
    exitLatencies,
    requests: fs.get(ctx.flowSchema) ?? 0,
    byVerb: stats.requests,
    clusterByVerb: Object.fromEntries(delta(requestsByVerb(before), requestsByVerb(after))),
    peakWatches: stats.peakWatches,
    peakRssBytes: stats.peakRss,
    historyEventsPerValidator: events.reduce((a, b) => a + b, 0) / validators,
    largestPayloadBytes: Math.max(...payloads),
  };
}
