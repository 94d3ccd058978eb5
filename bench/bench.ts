// Verdict against a plain-kubectl baseline, side by side on the sandbox: API requests per
// validator, detection latency, overhead at several concurrencies, and a scale run, for each size.
// Prints one table and appends it to bench/RESULTS.md. Usage: npm run bench -- --help
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, hostname, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { connect } from '../src/client';
import { managedBy } from '../src/core/labels';
import { loadKubeConfig } from '../src/k8s/client';
import { installCliLogger } from '../src/cli/logging';
import { repoRoot } from '../src/sandbox/binaries';
import { paths, ports } from '../src/sandbox/layout';
import { isUp, kubectl, sandboxInfo } from '../src/sandbox/sandbox';
import { parseArgs, usage, type BenchArgs } from './args';
import { runBaseline, type BaselineContext } from './baseline-side';
import { benchRunLabel, createIdentities, type Identities } from './identity';
import { addNodes, removeNodes } from './nodes';
import { PodTerminalTimes } from './pod-watch';
import { clusterTable, table, type Experiment } from './report';
import type { SideResult } from './results';
import { askWorker, runVerdict, type VerdictContext } from './verdict-side';
import { workload, type Workload } from './workload';

/** The baseline's kubectl processes at once, at most (two waits each): more would swamp 2 cores and the machine's memory. */
const baselineMaxConcurrency = 64;
/** Validators in flight per Verdict run in the scale figure. */
const scaleRunConcurrency = 50;

interface Env {
  args: BenchArgs;
  benchId: string;
  verdict: VerdictContext;
  baseline: BaselineContext;
}

function createNamespaces(benchId: string, names: string[]): void {
  const items = names.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [managedBy.key]: managedBy.value, [benchRunLabel]: benchId } } }));
  kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  // The baseline's Jobs run as each namespace's default ServiceAccount: wait for it.
  for (const ns of names) for (let i = 0; i < 60 && !kubectl(['get', 'serviceaccount', 'default', '-n', ns, '--ignore-not-found', '-o', 'name']).trim(); i++) void kubectl(['version', '--client']);
}

/** Verdict and the baseline on the same workload, in alternating order (the machine is shared and noisy). */
async function pair(env: Env, name: string, size: number, make: (side: 'v' | 'b') => Workload[], baselineConcurrency: number, verdictFirst: boolean): Promise<Experiment> {
  const meta = { benchId: env.benchId, durationSeconds: Number(make('v')[0].suite.validators[0].podAnnotations?.['sandbox.verdict.dev/duration-seconds'] ?? env.args.durationSeconds) };
  let verdict: SideResult | undefined;
  let baseline: SideResult | undefined;
  const v = async () => (verdict = await runVerdict(env.verdict, make('v'), meta));
  const b = async () => (baseline = await runBaseline(env.baseline, make('b'), { ...meta, concurrency: baselineConcurrency }));
  console.error(`[bench] ${name}: ${verdictFirst ? 'Verdict, then baseline' : 'baseline, then Verdict'}`);
  if (verdictFirst) await v().then(b);
  else await b().then(v);
  return { name, size, verdict: verdict!, baseline };
}

async function experiments(env: Env): Promise<Experiment[]> {
  const { args, benchId } = env;
  const out: Experiment[] = [];
  const suiteNs = (s: 'v' | 'b') => `${s}b-${benchId}`;
  const one = (s: 'v' | 'b', n: number, c: number, d: number) => [workload({ benchId, namespace: suiteNs(s), validators: n, concurrency: c, durationSeconds: d })];
  // Warm-up, not reported: the worker's first watches, kubectl's discovery cache.
  await pair(env, 'warm-up', 2, (s) => one(s, 2, 2, 0), 2, true);
  if (args.real > 0) {
    // Real containers on the one real node (2 shared cores): a few at a time.
    const real = (s: 'v' | 'b') => [workload({ benchId, namespace: suiteNs(s), validators: args.real, concurrency: args.realConcurrency, durationSeconds: args.durationSeconds, prefix: 'real', real: true })];
    out.push(await pair(env, `real node c=${args.realConcurrency}`, args.real, real, args.realConcurrency, true));
  }
  if (args.onlyReal) return out;
  const done = new Set<string>();
  let flip = false;
  for (const size of args.sizes) {
    for (const c of args.concurrency) {
      const n = Math.min(size, c * args.maxWaves);
      if (done.has(`${n}/${c}`)) continue; // a bigger size caps to the same suite: measured already
      done.add(`${n}/${c}`);
      out.push(await pair(env, `suite c=${c}`, size, (s) => one(s, n, c, args.durationSeconds), Math.min(c, baselineMaxConcurrency), (flip = !flip)));
    }
    const perRun = size / args.scaleRuns;
    const scale = (s: 'v' | 'b') =>
      Array.from({ length: args.scaleRuns }, (_, i) =>
        workload({ benchId, namespace: `${s}b-${benchId}-s${i}`, validators: perRun, concurrency: Math.min(perRun, scaleRunConcurrency), durationSeconds: args.durationSeconds, prefix: `r${i}v` }),
      );
    const baselinePerRun = Math.max(1, Math.min(perRun, Math.floor(baselineMaxConcurrency / args.scaleRuns)));
    if (args.baselineScale) out.push(await pair(env, `scale ${args.scaleRuns} runs`, size, scale, baselinePerRun, (flip = !flip)));
    else out.push({ name: `scale ${args.scaleRuns} runs`, size, verdict: await runVerdict(env.verdict, scale('v'), { benchId, durationSeconds: args.durationSeconds }) });
  }
  return out;
}

function record(args: BenchArgs, experiments: Experiment[], file: string): string {
  const machine = `${hostname()}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const text = [
    `## ${new Date().toISOString()}`,
    '',
    `- machine: ${machine} (shared: other work ran meanwhile)`,
    `- command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\``.replace('--  `', '`'),
    `- validators run ${args.durationSeconds}s each; every tenth exits 1; suites capped at ${args.maxWaves} waves; baseline at most ${baselineMaxConcurrency} validators at once`,
    '',
    table(experiments),
    '',
    '<details><summary>Cluster-wide API requests meanwhile (controllers, kwok and other tenants included)</summary>',
    '',
    clusterTable(experiments),
    '',
    '</details>',
    '',
  ].join('\n');
  if (file) appendFileSync(join(repoRoot, file), `${text}\n`);
  return text;
}

async function main(): Promise<void> {
  installCliLogger();
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2).filter((a) => a !== '--help'));
    if (process.argv.includes('--help')) return void console.log(usage);
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
    return;
  }
  if (!(await isUp())) {
    console.error('the sandbox is not up: start it with `node bin/verdict sandbox up` (the bench never starts or restarts servers)');
    process.exitCode = 2;
    return;
  }
  const benchId = randomBytes(3).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), `verdict-bench-${benchId}-`));
  const info = sandboxInfo();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  // Interrupted: still remove everything the bench created.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  try {
    const ids: Identities = createIdentities(benchId, dir, `https://127.0.0.1:${ports().apiserver}`);
    cleanups.unshift(() => ids.remove());
    const namespaces = ['v', 'b'].flatMap((s) => [`${s}b-${benchId}`, ...Array.from({ length: args.scaleRuns }, (_, i) => `${s}b-${benchId}-s${i}`)]);
    createNamespaces(benchId, namespaces);
    cleanups.unshift(() => void kubectl(['delete', 'namespace', '-l', `${benchRunLabel}=${benchId}`, '--ignore-not-found', '--wait=true', '--timeout=300s']));
    const pods = new PodTerminalTimes(loadKubeConfig(paths.kubeconfig()), benchId);
    await pods.start();
    cleanups.unshift(() => pods.stop());
    const taskQueue = `bench-${benchId}`;
    const worker = fork(join(__dirname, 'worker-process.js'), {
      env: { ...process.env, TEMPORAL_ADDRESS: info.temporalAddress, BENCH_KUBECONFIG: ids.kubeconfig.verdict, BENCH_TASK_QUEUE: taskQueue, BENCH_APISERVER: `https://127.0.0.1:${ports().apiserver}` },
    });
    cleanups.unshift(() => new Promise<void>((r) => (worker.exitCode !== null ? r() : (worker.once('exit', () => r()), worker.send({ type: 'stop' })))));
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('exit', (code) => reject(new Error(`the bench worker exited (${code}) before it was ready`)));
    });
    await askWorker(worker, { type: 'stats' });
    if (args.sizes.length > 0) cleanups.unshift(() => removeNodes(benchId));
    const added = args.onlyReal ? 0 : await addNodes(benchId, args.scaleNodes);
    console.error(`[bench] ${benchId}: ${added} extra kwok nodes registered (at least ${args.scaleNodes} in all)`);
    const client = await connect({ address: info.temporalAddress });
    cleanups.unshift(() => client.connection.close());
    const env: Env = { args, benchId, verdict: { client, worker, taskQueue, flowSchema: ids.flowSchema.verdict, pods }, baseline: { kubeconfig: ids.kubeconfig.baseline, flowSchema: ids.flowSchema.baseline, pods, dir } };
    const results = await experiments(env);
    console.log(record(args, results, args.results));
  } finally {
    await cleanUp();
  }
}

/** What to undo, newest first. */
const cleanups: (() => void | Promise<void>)[] = [];

async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0)) {
    try {
      await c();
    } catch (err) {
      console.error(`[bench] cleanup: ${(err as Error).message}`);
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 3;
});
