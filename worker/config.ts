// The worker's configuration, from flags over environment variables, validated in one pass so
// every bad setting is reported at once, with the flag and variable that set it. Checking it
// touches files (certificates, kubeconfig) but nothing on the network.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { z } from 'zod';
import { defaultCluster, taskQueueFor } from '../src/core/cluster';
import { gatherPolicy, policySettingDefinitions, policyShape } from '../src/core/policy';
import { always, checkConnection, connectionSettings, connectionShape } from '../temporal-config/connection';
import { parseSettings, rawSettings, type SettingTable } from '../temporal-config/settings';
import { notificationSettingDefinitions, notificationShape, notificationsOf } from './notifications';

/**
 * Capacity defaults. A waiting validator holds an activity slot for its whole run, but only as a
 * listener on the shared watch, so slots are cheap; cached workflows cost memory, and one that is
 * evicted is replayed from its short history when it next runs.
 */
export const workerDefaults = { maxConcurrentActivities: 1000, maxConcurrentWorkflowTasks: 40, maxCachedWorkflows: 250 };

export const settings = {
  ...connectionSettings,
  cluster: { env: 'VERDICT_CLUSTER', flag: '--cluster' },
  taskQueue: { env: 'VERDICT_TASK_QUEUE', flag: '--task-queue' },
  kubeconfig: { env: 'KUBECONFIG', flag: '--kubeconfig' },
  maxActivities: { env: 'VERDICT_MAX_CONCURRENT_ACTIVITIES', flag: '--max-activities' },
  maxWorkflowTasks: { env: 'VERDICT_MAX_CONCURRENT_WORKFLOW_TASKS', flag: '--max-workflow-tasks' },
  maxCachedWorkflows: { env: 'VERDICT_MAX_CACHED_WORKFLOWS', flag: '--max-cached-workflows' },
  listenAddress: { env: 'VERDICT_LISTEN_ADDRESS', flag: '--listen-address' },
  metricsPort: { env: 'VERDICT_METRICS_PORT', flag: '--metrics-port' },
  healthPort: { env: 'VERDICT_HEALTH_PORT', flag: '--health-port' },
  shutdownGraceSeconds: { env: 'VERDICT_SHUTDOWN_GRACE_SECONDS', flag: '--shutdown-grace-seconds' },
  sweepIntervalSeconds: { env: 'VERDICT_SWEEP_INTERVAL_SECONDS', flag: '--sweep-interval-seconds' },
  logFormat: { env: 'VERDICT_LOG_FORMAT', flag: '--log-format' },
  logLevel: { env: 'VERDICT_LOG_LEVEL', flag: '--log-level' },
  // What runs may do on this cluster (src/core/policy.ts): one definition each, help and defaults included.
  ...policySettingDefinitions,
  // Where notifications go (worker/notifications.ts).
  ...notificationSettingDefinitions,
} satisfies SettingTable;

export type SettingName = keyof typeof settings;

/** A pod's service account token: where in-cluster credentials come from. */
export const serviceAccountToken = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function kubeconfigProblem(path: string): string | undefined {
  if (path.includes(delimiter)) return 'name one kubeconfig file, not a list';
  try {
    if (!statSync(path).isFile()) return 'is not a regular file';
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${code ?? String(err)})`;
  }
}

const kubeconfigFile = z.string().check((ctx) => {
  const problem = kubeconfigProblem(ctx.value);
  if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
});

const count = (fallback: number) => z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').default(fallback);
const port = (fallback: number) => z.coerce.number({ error: 'must be a port number (0 turns it off)' }).int('must be a port number (0 turns it off)').min(0, 'must be a port number (0 turns it off)').max(65535, 'must be a port number (0 turns it off)').default(fallback);
export const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

/** What the environment offers when no kubeconfig is named: ~/.kube/config, or a pod's service account. */
export interface KubeDefaults {
  homeConfig: boolean;
  inCluster: boolean;
}

export function kubeDefaults(env: NodeJS.ProcessEnv): KubeDefaults {
  const home = env.HOME ?? env.USERPROFILE;
  return { homeConfig: home !== undefined && existsSync(join(home, '.kube', 'config')), inCluster: Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync(serviceAccountToken) };
}

export function workerConfigSchema(kube: KubeDefaults) {
  return z
    .strictObject({
      ...connectionShape,
      address: connectionShape.address.default('127.0.0.1:7233'),
      cluster: z.string().min(1, 'must name the cluster').max(200, 'must be at most 200 characters').default(defaultCluster),
      // Default: the cluster's own queue (src/core/cluster.ts).
      taskQueue: z.string().min(1).optional(),
      kubeconfig: kubeconfigFile.optional(),
      maxActivities: count(workerDefaults.maxConcurrentActivities),
      maxWorkflowTasks: count(workerDefaults.maxConcurrentWorkflowTasks),
      maxCachedWorkflows: count(workerDefaults.maxCachedWorkflows),
      listenAddress: z.union([z.ipv4(), z.ipv6()], { error: 'must be an IP address to listen on, e.g. 0.0.0.0 or 127.0.0.1' }).default('0.0.0.0'),
      metricsPort: port(9464),
      healthPort: port(8080),
      shutdownGraceSeconds: z.coerce
        .number({ error: 'must be a number of seconds' })
        .int('must be a whole number of seconds')
        .min(1, 'must be at least 1 second: in-flight activities need time to finish')
        .default(30),
      // Matches the Job TTL: a run's kept Jobs live about as long either way.
      sweepIntervalSeconds: z.coerce.number({ error: 'must be a number of seconds (0 turns it off)' }).int('must be a whole number of seconds (0 turns it off)').min(0, 'must be a number of seconds (0 turns it off)').default(3600),
      logFormat: z.enum(['json', 'text'], { error: 'must be json or text' }).default('json'),
      logLevel: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(levels, { error: `must be one of ${levels.join(', ')}` })).default('INFO'),
      ...policyShape,
      ...notificationShape,
    })
    .superRefine((c, ctx) => {
      checkConnection(c, ctx);
      if (c.metricsPort !== 0 && c.metricsPort === c.healthPort) ctx.addIssue({ code: 'custom', path: ['healthPort'], message: `is the metrics port too: give them different ports` });
      if (c.kubeconfig === undefined && !kube.homeConfig && !kube.inCluster)
        ctx.addIssue({ code: 'custom', path: ['kubeconfig'], message: 'no Kubernetes credentials: name a kubeconfig, put one at ~/.kube/config, or run in a pod with a service account' });
    }, always)
    .transform(({ notifyTargetsFile, webUiUrl, ...c }) => ({
      ...gatherPolicy({ ...c, taskQueue: c.taskQueue ?? taskQueueFor(c.cluster) }),
      notifications: notificationsOf({ notifyTargetsFile, webUiUrl }),
    }));
}

export type WorkerConfig = z.output<ReturnType<typeof workerConfigSchema>>;

/** Flags (camelCase, as commander gives them) over environment variables. Throws one SettingsError listing every problem. */
export function loadWorkerConfig(flags: Partial<Record<SettingName, string | boolean>>, env: NodeJS.ProcessEnv = process.env, kube: KubeDefaults = kubeDefaults(env)): WorkerConfig {
  return parseSettings('worker configuration', settings, workerConfigSchema(kube), rawSettings(settings, flags, env));
}
