// The outcome metrics as a real `verdict worker` exports them: a run of one passing and one failing
// validator, scraped from /metrics, gives exactly the series src/core/outcome-metrics.ts names (so the
// dashboard test's names are the real ones); the run's end executed again on the same worker (the run
// reset to before it) counts nothing twice.
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { Client } from '@temporalio/client';
import { startRun } from '../../src/client';
import { suiteHistoryOf } from '../../src/client/history';
import { taskQueueFor } from '../../src/core/cluster';
import { historyWorkflowId, runsOf, type HistoryRun } from '../../src/core/history';
import { outcomeMetrics, validatorDurationBuckets } from '../../src/core/outcome-metrics';
import { eventually } from '../harness/eventually';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';
import { withClient } from '../harness/temporal';
import { freePort, kill, spawnWorker } from '../harness/worker-process';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition, and its `# TYPE` and `# HELP` lines by metric. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string>; helps: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  for (const line of text.split('\n')) {
    const comment = /^# (TYPE|HELP) (\S+) (.*)$/.exec(line);
    if (comment) (comment[1] === 'TYPE' ? types : helps).set(comment[2], comment[3]);
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return { samples, types, helps };
}

const scrape = async (port: number) => parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
const key = (s: Sample) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => a.localeCompare(b)))}`;
const sorted = (samples: Sample[]) => [...samples].sort((a, b) => key(a).localeCompare(key(b)));

/** What the worker must export for `run`, the summary its end recorded. */
function expectedSamples(run: HistoryRun, base: Record<string, string>): Sample[] {
  const { runs, validators, validatorDuration, lastRun } = outcomeMetrics;
  const seconds = run.validators.map((v) => v.durationMs / 1000);
  const buckets = [...validatorDurationBuckets.map(String), '+Inf'];
  return [
    { name: runs.name, labels: { ...base, status: run.status }, value: 1 },
    ...run.validators.map((v) => ({ name: validators.name, labels: { ...base, validator: v.name, status: v.status }, value: 1 })),
    ...buckets.map((le) => ({ name: `${validatorDuration.name}_bucket`, labels: { ...base, le }, value: seconds.filter((s) => le === '+Inf' || s <= Number(le)).length })),
    { name: `${validatorDuration.name}_sum`, labels: base, value: seconds.reduce((a, b) => a + b, 0) },
    { name: `${validatorDuration.name}_count`, labels: base, value: seconds.length },
    { name: lastRun.name, labels: base, value: run.stop / 1000 },
  ];
}

/** Resets the run to the workflow task that scheduled recordRunHistory, so the worker executes it again; resolves when the new execution ends. */
async function rerunRunEnd(client: Client, runId: string): Promise<void> {
  const handle = client.workflow.getHandle(runId);
  const { events } = await handle.fetchHistory();
  const scheduled = events!.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordRunHistory')!.activityTaskScheduledEventAttributes!;
  const { runId: execution } = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId: runId, runId: (await handle.describe()).runId },
    reason: 'test: execute the run end again',
    workflowTaskFinishEventId: scheduled.workflowTaskCompletedEventId,
    requestId: randomBytes(16).toString('hex'),
  });
  await client.workflow.getHandle(runId, execution).result();
}

/** How many times this worker executed recordRunHistory, by the SDK's own metric. */
const runEndExecutions = (samples: Sample[], taskQueue: string) =>
  samples.find((s) => s.name === 'temporal_activity_execution_latency_count' && s.labels.activity_type === 'recordRunHistory' && s.labels.task_queue === taskQueue)?.value;

test('a worker exports the outcomes of a run: runs, validators, durations and the last run, once per run', async () => {
  const cluster = `metrics-${randomBytes(3).toString('hex')}`;
  const name = `outcomes-${randomBytes(4).toString('hex')}`;
  const taskQueue = taskQueueFor(cluster);
  const port = await freePort();
  let worker: ChildProcess | undefined;
  await withClient(async (client) => {
    try {
      worker = await spawnWorker(taskQueue, ['--cluster', cluster, '--listen-address', '127.0.0.1', '--metrics-port', String(port)]);
      const handle = await startRun(client, { suite: suite(name, testNamespace(), [sim('passes', 'readiness', { 'exit-code': '0' }), sim('fails', 'readiness', { 'exit-code': '1', 'duration-seconds': '3' })]), cluster });
      expect((await handle.result()).status).toBe('failed');
      const [run] = runsOf((await suiteHistoryOf(client, name, cluster))!);
      // 0 s and 3 s: the durations fall in different buckets.
      expect(run.validators.map((v) => [v.name, v.status, v.durationMs])).toEqual([['passes', 'passed', 0], ['fails', 'failed', 3000]]);

      const ours = (samples: Sample[]) => sorted(samples.filter((s) => s.labels.suite === name));
      const first = await eventually(async () => {
        const exposition = await scrape(port);
        return ours(exposition.samples).length > 0 ? exposition : undefined;
      }, 'the outcome metrics');
      const base = { suite: name, cluster, namespace: 'default', taskQueue, activityType: 'recordRunHistory' };
      expect(ours(first.samples)).toEqual(sorted(expectedSamples(run, base)));
      for (const m of Object.values(outcomeMetrics)) {
        expect([m.name, first.types.get(m.name), first.helps.get(m.name)]).toEqual([m.name, m.kind, m.help]);
      }
      expect(runEndExecutions(first.samples, taskQueue)).toBe(1);

      // The run's end again, on the same worker: the activity runs a second time, the outcomes stay counted once.
      await rerunRunEnd(client, handle.workflowId);
      const second = await eventually(async () => {
        const exposition = await scrape(port);
        return runEndExecutions(exposition.samples, taskQueue) === 2 ? exposition : undefined;
      }, 'recordRunHistory executed again');
      expect(ours(second.samples)).toEqual(ours(first.samples));
    } finally {
      if (worker) expect(await kill(worker, 'SIGTERM')).toBe(0);
      await client.workflow.getHandle(historyWorkflowId(cluster, name)).terminate('test over').catch(() => undefined);
    }
  });
});
