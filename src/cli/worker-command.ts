// `verdict worker`: a long-running worker for runs started from anywhere (CLI, Web UI, schedules).
// Every setting comes from a flag or its environment variable (worker/config.ts); a bad one
// exits 2 before anything connects. It installs its own Temporal Runtime (structured logs,
// Prometheus metrics), serves /healthz and /readyz, and drains on SIGTERM or SIGINT.
import { Command, Option } from 'commander';
import { Runtime, type Logger, type Worker } from '@temporalio/worker';
import type { AesGcmCodec } from '../codec';
import { loadWorkerConfig, settings, workerDefaults, type SettingName, type WorkerConfig } from '../../worker/config';
import { startHealthServer } from '../../worker/health';
import { createVerdictWorker } from '../../worker/worker';
import { profileKind } from '../../temporal-config/connection';
import { optionFlags, optionHelp, SettingsError } from '../../temporal-config/settings';
import { policySettingDefinitions } from '../core/policy';
import { notificationSettingDefinitions } from '../../worker/notifications';
import { cliCodec } from './codec-command';
import { UsageError } from './errors';
import { installWorkerRuntime } from './logging';
import { connect } from '../client';
import { loadKubeConfig, makeClients } from '../k8s/client';
import { startPeriodicSweep } from '../sweep/periodic';

type DefinedSettingName = keyof typeof policySettingDefinitions | keyof typeof notificationSettingDefinitions;

/** Each flag's value placeholder (none: a switch) and help; defaults live in worker/config.ts. Policy settings define their own. */
const help: Record<Exclude<SettingName, DefinedSettingName>, [string | undefined, string]> = {
  address: ['<host:port>', 'Temporal frontend (default 127.0.0.1:7233)'],
  namespace: ['<name>', 'Temporal namespace (default "default")'],
  apiKey: ['<key>', 'Temporal Cloud API key (turns TLS on)'],
  tls: [undefined, 'connect with TLS (on by itself with any other TLS setting or an API key)'],
  tlsCert: ['<file>', 'mTLS client certificate (PEM), with --tls-key'],
  tlsKey: ['<file>', 'mTLS client private key (PEM)'],
  tlsCa: ['<file>', "CA certificate (PEM) for the server's certificate (default: the system roots)"],
  tlsServerName: ['<name>', "server name to verify in the server's certificate"],
  cluster: ['<name>', 'the cluster this worker serves: runs naming another are refused (default "default")'],
  taskQueue: ['<name>', 'task queue to poll (default: "verdict" for cluster "default", else "verdict-<cluster>")'],
  kubeconfig: ['<file>', 'kubeconfig (default: ~/.kube/config, else the pod service account)'],
  maxActivities: ['<n>', `activities at once; each waiting validator holds one (default ${workerDefaults.maxConcurrentActivities})`],
  maxWorkflowTasks: ['<n>', `workflow tasks at once (default ${workerDefaults.maxConcurrentWorkflowTasks})`],
  maxCachedWorkflows: ['<n>', `workflows kept in memory between tasks (default ${workerDefaults.maxCachedWorkflows})`],
  listenAddress: ['<ip>', 'address the metrics and health endpoints listen on (default 0.0.0.0)'],
  metricsPort: ['<port>', 'Prometheus metrics at /metrics, 0 turns them off (default 9464)'],
  healthPort: ['<port>', '/healthz and /readyz, 0 turns them off (default 8080)'],
  shutdownGraceSeconds: ['<s>', 'on SIGTERM, how long in-flight activities may finish (default 30)'],
  sweepIntervalSeconds: ['<s>', "how often to delete what closed runs left behind, as `verdict gc` does; 0 turns it off (default 3600)"],
  logFormat: ['<json|text>', 'log lines on stderr (default json)'],
  logLevel: ['<level>', 'TRACE, DEBUG, INFO, WARN or ERROR (default INFO)'],
};

export function workerCommand(): Command {
  const command = new Command('worker').description('run a Verdict worker (workflows and activities) until SIGINT or SIGTERM');
  for (const [name, [arg, text]] of Object.entries(help)) {
    const { flag, env } = settings[name as SettingName];
    command.addOption(new Option(arg ? `${flag} ${arg}` : flag, `${text} [$${env}]`));
  }
  for (const definition of [...Object.values(policySettingDefinitions), ...Object.values(notificationSettingDefinitions)]) command.addOption(new Option(optionFlags(definition), optionHelp(definition)));
  return command.action((flags: Partial<Record<SettingName, string | boolean>>) => runWorker(flags));
}

/** The configuration and the codec, or one UsageError listing every problem with both. */
function configure(flags: Partial<Record<SettingName, string | boolean>>): { config: WorkerConfig; codec?: AesGcmCodec } {
  const problems: string[] = [];
  let config: WorkerConfig | undefined;
  let codec: AesGcmCodec | undefined;
  try {
    config = loadWorkerConfig(flags);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    problems.push(...err.problems);
  }
  try {
    codec = cliCodec();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    problems.push(`payload codec: ${err.message}`);
  }
  if (!config || problems.length > 0) throw new UsageError(`invalid worker configuration:\n  ${problems.join('\n  ')}`);
  return { config, codec };
}

const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** Ports are settings: one already taken is a usage error (exit 2) naming its flag. */
function portTaken(name: 'metricsPort' | 'healthPort', config: WorkerConfig, err: unknown): UsageError {
  const { flag, env } = settings[name];
  return new UsageError(`${name} (${flag}, ${env}) = ${config[name]}: cannot listen on ${hostPort(config.listenAddress, config[name])}: ${err instanceof Error ? err.message : String(err)}`);
}

async function runWorker(flags: Partial<Record<SettingName, string | boolean>>): Promise<void> {
  const { config, codec } = configure(flags);
  // Health first: alive while connecting, ready only while the Worker runs.
  let worker: Worker | undefined;
  const health = config.healthPort
    ? await startHealthServer(config.listenAddress, config.healthPort, () => worker?.getState() ?? 'CONNECTING').catch((err: unknown) => {
        throw portTaken('healthPort', config, err);
      })
    : undefined;
  const metrics = config.metricsPort ? hostPort(config.listenAddress, config.metricsPort) : undefined;
  let logger: Logger;
  try {
    logger = installWorkerRuntime({ logFormat: config.logFormat, logLevel: config.logLevel, metricsBindAddress: metrics });
  } catch (err) {
    await health?.close();
    throw portTaken('metricsPort', config, err);
  }
  try {
    await serve(config, logger, { metrics, health: health && hostPort(config.listenAddress, health.port), codec }, (w) => (worker = w));
  } catch (err) {
    // Logged in the configured format; main.ts's plain line would break a JSON log stream.
    logger.error(`worker failed: ${err instanceof Error ? err.message : String(err)}`, { error: err });
    process.exitCode = 3;
    await Runtime.instance().shutdown(); // its log forwarding would keep the process alive
  } finally {
    await health?.close();
  }
}

/** The periodic sweep, on its own Temporal client (describing runs) and Kubernetes clients. */
async function startSweeper(config: WorkerConfig, logger: Logger, codec?: AesGcmCodec): Promise<{ stop(): Promise<void> }> {
  const { address, namespace, apiKey, tls, tlsCert, tlsKey, tlsCa, tlsServerName } = config;
  const temporal = await connect({ address, namespace, apiKey, tls, tlsCert, tlsKey, tlsCa, tlsServerName, codec });
  const periodic = startPeriodicSweep(makeClients(loadKubeConfig(config.kubeconfig)), temporal, config.sweepIntervalSeconds * 1000, logger);
  logger.info(`sweeping what closed runs left behind every ${config.sweepIntervalSeconds}s`);
  return {
    async stop() {
      await periodic.stop();
      await temporal.connection.close();
    },
  };
}

interface Endpoints {
  metrics?: string;
  health?: string;
  codec?: AesGcmCodec;
}

async function serve(config: WorkerConfig, logger: Logger, { metrics, health, codec }: Endpoints, created: (w: Worker) => void): Promise<void> {
  const { address, namespace, taskQueue, cluster } = config;
  const { apiKey, tls, tlsCert, tlsKey, tlsCa, tlsServerName } = config;
  const vw = await createVerdictWorker({
    temporalAddress: address,
    namespace,
    connection: { apiKey, tls, tlsCert, tlsKey, tlsCa, tlsServerName },
    cluster,
    taskQueue,
    kubeconfig: config.kubeconfig,
    shutdownGraceTimeMs: config.shutdownGraceSeconds * 1000,
    maxConcurrentActivities: config.maxActivities,
    maxConcurrentWorkflowTasks: config.maxWorkflowTasks,
    maxCachedWorkflows: config.maxCachedWorkflows,
    policy: config.policy,
    notifications: config.notifications,
    codec,
  });
  created(vw.worker);
  // The Runtime turns SIGTERM and SIGINT into a graceful Worker shutdown; this only says so.
  const onSignal = (signal: string) => {
    logger.info(`worker draining on ${signal}: in-flight activities have ${config.shutdownGraceSeconds}s`, { signal });
  };
  process.once('SIGTERM', onSignal).once('SIGINT', onSignal);
  logger.info(`worker polling task queue ${taskQueue} on ${address}, for cluster ${cluster}`, {
    namespace,
    cluster,
    taskQueue,
    connection: profileKind(config),
    policy: config.policy,
    // Target names only: their URLs are credentials.
    notifyTargets: Object.keys(config.notifications.targets),
    metrics: metrics ? `http://${metrics}/metrics` : 'off',
    health: health ? `http://${health}/healthz` : 'off',
    ...(codec ? { payloadCodec: `encrypted, primary key ${codec.ring.primary}` } : {}),
  });
  const sweeper = config.sweepIntervalSeconds > 0 ? await startSweeper(config, logger, codec) : undefined;
  try {
    await vw.run();
  } finally {
    await sweeper?.stop();
  }
  logger.info('worker stopped');
}
