// `verdict run <suite>`: start a run and follow it to its report. With no Temporal address
// configured it uses the local sandbox and runs a worker in this process; with no kubeconfig
// (or --sandbox) it runs against the sandbox cluster.
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { cancelRun, newRunId, progressOf, startFleet, startRun, type RunHandle } from '../client';
import type { CtrfReport } from '../core/ctrf';
import { matrixLines, type FleetInput, type FleetMatrix } from '../core/fleet';
import { toJUnit } from '../core/junit';
import { addressOption, connectCli } from './connection';
import { up } from '../sandbox/sandbox';
import { createVerdictWorker } from '../../worker/worker';
import { notificationsFromEnv } from '../../worker/notifications';
import type { NotifySettings } from '../activities/notify';
import { SettingsError } from '../../temporal-config/settings';
import { loadSuiteFile } from './suite-file';
import { clusterProblem } from '../k8s/reachable';
import { summaryTable } from './summary';
import { lineView, liveView } from './progress-view';
import { UsageError } from './errors';
import { cliCodec } from './codec-command';
import { defaultPolicy, sandboxPolicy } from '../core/policy';
import type { Run } from '../core/run';
import { selectValidators } from '../core/selection';

export interface RunOptions {
  ctrf?: string;
  junit?: string;
  taskQueue?: string;
  wait: boolean;
  sandbox?: boolean;
  address?: string;
  label: string[];
  only: string[];
  skip: string[];
  phase: string[];
}

export function runCommand(): Command {
  return withRunOptions(
    new Command('run')
      .description('start a run of a suite and follow it to its report')
      .argument('<suite>', 'suite file (YAML or JSON)')
      .option('--cluster <name>', 'the cluster to check: the run goes to its workers (task queue verdict-<name>; for "default", verdict) and is named in the report', process.env.VERDICT_CLUSTER)
      .option('--clusters <names>', "a fleet run: the suite on each of these clusters at once (comma-separated), each on its own cluster's workers")
      .option('--unavailable-after <duration>', 'with --clusters: a cluster with no worker polling its queue this long is reported unavailable', '2m'),
  ).action((file: string, o: RunOptions & { cluster?: string; clusters?: string; unavailableAfter: string }) => {
    const input = withSelection(loadSuiteFile(file, { labels: parseLabels(o.label), cluster: o.cluster }), o);
    if (o.clusters === undefined) return startAndFollow(input, o);
    if (o.cluster !== undefined && o.cluster !== process.env.VERDICT_CLUSTER) throw new UsageError('--cluster and --clusters: name the clusters of a fleet run with --clusters alone');
    return startFleetAndFollow({ suite: input.suite, labels: input.labels, clusters: o.clusters.split(',').filter(Boolean), unavailableAfter: o.unavailableAfter }, o);
  });
}

/** The options of every command that starts a run and follows it: where it runs, what it writes, which validators. */
export function withRunOptions(command: Command): Command {
  const list = (v: string, all: string[]) => [...all, ...v.split(',').filter(Boolean)];
  return command
    .option('--ctrf <file>', 'write the CTRF report to this file')
    .option('--junit <file>', 'write the report as JUnit XML to this file')
    .option('--task-queue <name>', "the task queue of the workers to run on (default: the cluster's, see --cluster)", process.env.VERDICT_TASK_QUEUE)
    .option('--no-wait', 'print the run ID and return at once')
    .option('--sandbox', 'run against the local sandbox cluster, whatever KUBECONFIG says')
    .addOption(addressOption())
    .option('--label <key=value>', 'a label recorded on the run (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--only <names>', 'run only these validators (comma-separated, repeatable)', list, [])
    .option('--skip <names>', 'leave out these validators (comma-separated, repeatable)', list, [])
    .option('--phase <phases>', 'run only the validators of these phases (comma-separated, repeatable)', list, []);
}

/** The input with only the validators the options choose. */
export function withSelection(input: Run, o: Pick<RunOptions, 'only' | 'skip' | 'phase'>): Run {
  return { ...input, suite: selectValidators(input.suite, { only: o.only, skip: o.skip, phases: o.phase }, `suite ${input.suite.name}`) };
}

export function parseLabels(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((p) => {
      const i = p.indexOf('=');
      if (i <= 0) throw new UsageError(`--label ${p}: expected key=value`);
      return [p.slice(0, i), p.slice(i + 1)];
    }),
  );
}

/** Starts the run and follows it: with no Temporal address, on the sandbox with a worker in this process. */
export async function startAndFollow(input: Run, o: RunOptions): Promise<void> {
  const embedded = !o.address;
  let kubeconfig = o.sandbox ? undefined : process.env.KUBECONFIG;
  // The sandbox policy (its test namespaces, privilege...) is for the sandbox cluster alone, chosen here explicitly.
  const onSandbox = !kubeconfig;
  let address = o.address;
  let webUi: string | undefined;
  if (embedded || !kubeconfig) {
    const info = await up({ build: true, log: (l) => console.error(`[sandbox] ${l}`) });
    address ??= info.temporalAddress;
    kubeconfig ??= info.kubeconfig;
    if (embedded) console.error(`[verdict] Temporal Web UI: ${(webUi = info.webUi)}`);
  }
  const notifications = embedded ? embeddedNotifications(webUi) : undefined;
  // The in-process worker will talk to this cluster: make sure it answers before starting anything.
  const unreachable = embedded ? await clusterProblem(kubeconfig) : undefined;
  if (unreachable) throw new UsageError(`${unreachable}. Check KUBECONFIG, or run on the sandbox with --sandbox.`);
  const client = await connectCli(address);
  const workflowId = newRunId(input.suite.name);
  // The embedded worker serves this run alone: no other run's activities reach its cluster, and no
  // other worker (of another cluster, maybe) takes this run's.
  const taskQueue = o.taskQueue ?? (embedded && o.wait ? embeddedTaskQueue(workflowId) : undefined);
  const handle = await startRun(client, input, { workflowId, taskQueue });
  console.error(`[verdict] run ${handle.workflowId} started (${input.suite.validators.length} validators)`);
  if (!o.wait) {
    console.log(handle.workflowId);
    return;
  }
  const runId = handle.workflowId;
  if (!embedded) {
    // Following only: the run goes on without us.
    onInterrupt((signal) => {
      console.error(`[verdict] ${signal}: stopped following run ${runId}, which goes on. Follow it with \`verdict status ${runId}\`, cancel it with \`verdict cancel ${runId}\`.`);
      process.exit(interruptedExitCodes[signal]);
    });
    return finish(await follow(handle), o);
  }
  // Embedded defaults: this process is the worker too, so a signal cancels the run and waits for its cleanup.
  let interrupted: Interrupt | undefined;
  onInterrupt((signal) => {
    interrupted = signal;
    console.error(`[verdict] ${signal}: cancelling run ${runId} and waiting for its Jobs and RBAC to be deleted (${signal} again stops waiting)`);
    cancelRun(client, runId).catch((err: unknown) => console.error(`[verdict] could not cancel run ${runId}: ${(err as Error).message}`));
    onInterrupt((again) => {
      console.error(`[verdict] ${again}: stopped waiting. Run ${runId} is being cancelled; a worker on task queue ${taskQueue} finishes its cleanup (\`verdict worker --cluster ${input.cluster} --task-queue ${taskQueue}\`).`);
      process.exit(interruptedExitCodes[again]);
    });
  });
  const policy = onSandbox ? sandboxPolicy : defaultPolicy;
  const vw = await createVerdictWorker({ temporalAddress: address!, kubeconfig, cluster: input.cluster, taskQueue, shutdownGraceTimeMs: 5_000, codec: cliCodec(), policy, notifications });
  const output = await vw.worker.runUntil(follow(handle));
  vw.watches.stop();
  finish(output, o);
  if (interrupted) process.exitCode = interruptedExitCodes[interrupted];
}

/**
 * A fleet run: started on the named clusters' own workers (none runs in this process) and followed
 * to its fleet report; a signal stops following, and the fleet goes on.
 */
async function startFleetAndFollow(input: FleetInput, o: RunOptions): Promise<void> {
  const address = o.address ?? (await up({ build: true, log: (l) => console.error(`[sandbox] ${l}`) })).temporalAddress;
  const client = await connectCli(address);
  const handle = await startFleet(client, input, { workflowId: newRunId(input.suite.name), taskQueue: o.taskQueue });
  console.error(`[verdict] fleet run ${handle.workflowId} started on ${input.clusters.join(', ')}`);
  if (!o.wait) {
    console.log(handle.workflowId);
    return;
  }
  onInterrupt((signal) => {
    console.error(`[verdict] ${signal}: stopped following fleet run ${handle.workflowId}, which goes on. Follow it with \`verdict status ${handle.workflowId}\`, cancel it (and every cluster's run) with \`verdict cancel ${handle.workflowId}\`.`);
    process.exit(interruptedExitCodes[signal]);
  });
  const output = await handle.result();
  const { matrix } = (output.report.results.extra as { fleet: { matrix: FleetMatrix } }).fleet;
  console.log(`\n${matrixLines(matrix).join('\n')}`);
  finish(output, o);
}

/** The in-process worker's notification settings, from the same variables as `verdict worker`'s; bad ones exit 2 before anything starts. */
function embeddedNotifications(webUi: string | undefined): NotifySettings {
  try {
    return notificationsFromEnv(process.env, webUi);
  } catch (err) {
    if (err instanceof SettingsError) throw new UsageError(err.message);
    throw err;
  }
}

type Interrupt = 'SIGINT' | 'SIGTERM';
/** A run interrupted by a signal exits as shells report a signal: 128 + its number. */
export const interruptedExitCodes: Record<Interrupt, number> = { SIGINT: 130, SIGTERM: 143 };

/** Calls `fn` once, on the next SIGINT or SIGTERM (the CLI's Runtime leaves signals to us: logging.ts). */
function onInterrupt(fn: (signal: Interrupt) => void): void {
  const handler = (signal: Interrupt) => {
    process.off('SIGINT', handler).off('SIGTERM', handler);
    fn(signal);
  };
  process.on('SIGINT', handler).on('SIGTERM', handler);
}

/** The task queue of a run whose worker is the `verdict run` process itself. */
export const embeddedTaskQueue = (runId: string) => `verdict-run-${runId}`;

/** Shows the run as it goes (live on a terminal, plain lines otherwise), then returns its output. */
async function follow(handle: RunHandle) {
  const view = process.stderr.isTTY ? liveView(process.stderr) : lineView((l) => console.error(l));
  const result = handle.result();
  let done = false;
  void result.finally(() => (done = true)).catch(() => undefined);
  while (!done) {
    await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
    const progress = await progressOf(handle).catch(() => undefined);
    if (progress) view.show(progress);
  }
  view.close();
  return result;
}

function finish(output: { status: string; report: CtrfReport }, o: RunOptions): void {
  console.log(`\n${summaryTable(output.report)}`);
  if (o.ctrf) {
    writeFileSync(o.ctrf, `${JSON.stringify(output.report, null, 2)}\n`);
    console.error(`[verdict] CTRF report written to ${o.ctrf}`);
  }
  if (o.junit) {
    writeFileSync(o.junit, toJUnit(output.report));
    console.error(`[verdict] JUnit report written to ${o.junit}`);
  }
  process.exitCode = output.status === 'passed' ? 0 : 1;
}
