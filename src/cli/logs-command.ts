// `verdict logs <run> <validator> [-f]`: a validator's output. A validator that has finished
// shows what its run stored (its child workflow's result: no worker and no cluster needed); one
// still running is read live from its pod through the Kubernetes API with the user's kubeconfig.
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { runHandle, runInputOf } from '../client';
import { containerName } from '../core/job';
import { labelKeys } from '../core/labels';
import { runKey, validatorWorkflowId, type RunIdentity } from '../core/names';
import type { ValidatorResult } from '../core/result';
import { retryable } from '../core/retries';
import type { ValidatorSpec } from '../core/spec';
import { runInputSchema } from '../core/run';
import { ApiStatusError, openGet } from '../k8s/api-get';
import { loadKubeConfig, makeClients } from '../k8s/client';
import { clusterProblem } from '../k8s/reachable';
import { sandboxInfo } from '../sandbox/sandbox';
import { addressOption, withRun } from './connection';
import { UsageError } from './errors';

interface LogsOptions {
  follow?: boolean;
  sandbox?: boolean;
  address?: string;
}

/** How long -f waits for a validator's container to start before giving up. */
const startWaitMs = 120_000;

export function logsCommand(): Command {
  return new Command('logs')
    .description("a validator's output: what the run stored once it finished, else live from its pod (-f follows it to its end)")
    .argument('<run>', 'run ID')
    .argument('<validator>', 'validator name')
    .option('-f, --follow', "stream the output until the validator's container ends")
    .option('--sandbox', 'read pods from the local sandbox cluster, whatever KUBECONFIG says')
    .addOption(addressOption())
    .action((runId: string, name: string, o: LogsOptions) => withRun(o.address, runId, (client) => logs(client, runId, name, o)));
}

async function logs(client: Client, runId: string, name: string, o: LogsOptions): Promise<void> {
  const parsed = runInputSchema.safeParse(await runInputOf(client, runId));
  if (!parsed.success) throw new UsageError(`run ${runId} was started with an input that is not valid: it ran no validator`);
  const { suite } = parsed.data;
  if (!suite.validators.some((v) => v.name === name)) throw new UsageError(`run ${runId} has no validator ${name}; its validators are ${suite.validators.map((v) => v.name).join(', ')}`);
  const { runId: execution, status } = await runHandle(client, runId).describe();
  const stored = await storedResult(client, runId, suite.validators.find((v) => v.name === name)!, status.name !== 'RUNNING');
  if (stored) {
    for (const line of stored.stdout) console.log(line);
    if (stored.stdoutTruncated) console.error(`[verdict] the run kept the last ${stored.stdout.length} lines of ${name}'s output (it was longer)`);
    return;
  }
  const kubeconfig = o.sandbox || !process.env.KUBECONFIG ? sandboxInfo().kubeconfig : process.env.KUBECONFIG;
  const unreachable = await clusterProblem(kubeconfig);
  if (unreachable) throw new UsageError(`${unreachable}: validator ${name} has not finished, so its output is only on the cluster. Check KUBECONFIG, or try again once it has finished`);
  await podLog(kubeconfig, suite.namespace, [{ runId, execution }, { runId }], name, o.follow ?? false);
}

/**
 * The validator's result once it has finished, else undefined: its newest attempt's child workflow
 * (current and pre-2026-11 workflow IDs) has completed, and no retry can follow it.
 */
async function storedResult(client: Client, runId: string, spec: ValidatorSpec, runClosed: boolean): Promise<ValidatorResult | undefined> {
  const attempts = Array.from({ length: spec.retries + 1 }, (_, i) => spec.retries + 1 - i);
  for (const workflowId of [...attempts.map((n) => validatorWorkflowId(runId, spec.name, n)), `${runId}--${spec.name}`]) {
    const handle = client.workflow.getHandle(workflowId);
    const status = await handle.describe().then(
      (d) => d.status.name,
      (err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      },
    );
    if (!status) continue;
    if (status !== 'COMPLETED') return undefined;
    const result = (await handle.result()) as ValidatorResult;
    const last = workflowId === validatorWorkflowId(runId, spec.name, spec.retries + 1);
    return runClosed || last || !retryable(result) ? result : undefined;
  }
  return undefined;
}

/** Streams the log of the validator's newest pod; a container not started yet is waited for when following. */
async function podLog(kubeconfig: string, namespace: string, owners: RunIdentity[], name: string, follow: boolean): Promise<void> {
  const config = loadKubeConfig(kubeconfig);
  const { core } = makeClients(config);
  for (const owner of owners) {
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: `${labelKeys.run}=${runKey(owner)},${labelKeys.validator}=${name}` })).items;
    const pod = pods.sort((a, b) => String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')))[0];
    if (!pod) continue;
    const path = `/api/v1/namespaces/${namespace}/pods/${pod.metadata!.name!}/log`;
    const until = Date.now() + (follow ? startWaitMs : 0);
    for (;;) {
      try {
        const res = await openGet(config, path, { container: containerName, follow: follow || undefined }, new AbortController().signal, 10_000);
        for await (const chunk of res) process.stdout.write(chunk as Buffer);
        return;
      } catch (err) {
        // The kubelet answers 400 while the container is still being created.
        if (!(err instanceof ApiStatusError && err.statusCode === 400) || Date.now() >= until) throw new UsageError(`reading the output of ${name} (pod ${pod.metadata!.name}): ${(err as Error).message}`);
        await sleep(1000);
      }
    }
  }
  throw new UsageError(`validator ${name} has no pod yet (the run may not have reached it): try again, or \`verdict status\` the run`);
}
