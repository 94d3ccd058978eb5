// Runs workloads through the baseline: baseline.sh (plain kubectl) per workload, all at once.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { binaryPath, repoRoot } from '../src/sandbox/binaries';
import { jobName } from '../src/core/names';
import { delta } from './prometheus';
import { dispatchedByFlowSchema, requestsByVerb, scrape } from './metrics';
import type { PodTerminalTimes } from './pod-watch';
import type { SideResult } from './results';
import { sampleWatches } from './sampler';
import { countVerbs, kubectlVerbs } from './verbs';
import { baselineIdentity, baselineJobs, type Workload } from './workload';

const run = promisify(execFile);

export interface BaselineContext {
  kubeconfig: string;
  flowSchema: string;
  pods: PodTerminalTimes;
  /** A scratch directory for manifests, logs and kubectl's discovery cache. */
  dir: string;
}

export async function runBaseline(ctx: BaselineContext, workloads: Workload[], meta: { benchId: string; durationSeconds: number; concurrency: number }): Promise<SideResult> {
  const started0 = Date.now();
  const runIds = workloads.map((_, i) => `baseline-${meta.benchId}-${started0}-${i}`);
  const expected = new Map<string, string>();
  const dirs = workloads.map((w, i) => {
    const dir = join(ctx.dir, `${started0}-${i}`);
    mkdirSync(dir, { recursive: true });
    for (const v of w.suite.validators) expected.set(jobName(baselineIdentity(runIds[i]), v.name), w.expected.get(v.name)!);
    for (const job of baselineJobs(w, runIds[i])) writeFileSync(join(dir, `${job.metadata!.name}.json`), JSON.stringify(job));
    return dir;
  });
  const env = { ...process.env, KUBECTL: binaryPath('kubectl'), KUBECONFIG: ctx.kubeconfig, KUBECTL_CACHE: join(ctx.dir, 'kubectl-cache') };
  const watches = await sampleWatches();
  const before = await scrape();
  const started = Date.now();
  const outs = await Promise.all(
    workloads.map((w, i) => run(join(repoRoot, 'bench', 'baseline.sh'), [dirs[i], w.namespace, String(meta.concurrency), '300'], { env, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' })),
  );
  const wallMs = Date.now() - started;
  const after = await scrape();
  const peakWatches = watches.stop();

  let correct = 0;
  const latencies: number[] = [];
  const exitLatencies: number[] = [];
  for (const line of outs.flatMap((o) => o.stdout.split('\n')).filter(Boolean)) {
    const [job, code, , recorded] = line.split(' ');
    const status = code === '0' ? 'passed' : code === '1' ? 'failed' : 'other';
    if (expected.get(job) === status) correct++;
    const terminal = ctx.pods.times.get(job);
    if (terminal !== undefined) latencies.push(Number(recorded) - terminal);
    const exited = ctx.pods.exits.get(job);
    if (exited !== undefined) exitLatencies.push(Number(recorded) - exited);
  }
  const verbs = dirs.flatMap((d) => readdirSync(join(d, 'logs')).filter((f) => f.endsWith('.log')).flatMap((f) => kubectlVerbs(readFileSync(join(d, 'logs', f), 'utf8'))));
  const fs = delta(dispatchedByFlowSchema(before), dispatchedByFlowSchema(after));
  return {
    side: 'baseline',
    validators: expected.size,
    runs: workloads.length,
    concurrency: meta.concurrency * workloads.length,
    durationSeconds: meta.durationSeconds,
    wallMs,
    correct,
    latencies,
    exitLatencies,
    requests: fs.get(ctx.flowSchema) ?? 0,
    byVerb: countVerbs(verbs),
    clusterByVerb: Object.fromEntries(delta(requestsByVerb(before), requestsByVerb(after))),
    peakWatches,
  };
}
