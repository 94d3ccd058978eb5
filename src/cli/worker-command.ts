// `verdict worker`: a long-running worker for runs started from anywhere (CLI, Web UI, schedules).
import { Command } from 'commander';
import { createVerdictWorker } from '../../worker/worker';
import { runTaskQueue } from '../core/run';
import { cliCodec } from './codec-command';

export function workerCommand(): Command {
  return new Command('worker')
    .description('run a Verdict worker (workflows and activities) until SIGINT or SIGTERM')
    .option('--address <host:port>', 'Temporal frontend', process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233')
    .option('--namespace <name>', 'Temporal namespace', process.env.TEMPORAL_NAMESPACE ?? 'default')
    .option('--task-queue <name>', 'task queue to poll', process.env.VERDICT_TASK_QUEUE ?? runTaskQueue)
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster)')
    .action(async (o: { address: string; namespace: string; taskQueue: string; kubeconfig?: string }) => {
      const codec = cliCodec();
      const vw = await createVerdictWorker({ temporalAddress: o.address, namespace: o.namespace, taskQueue: o.taskQueue, kubeconfig: o.kubeconfig, codec });
      console.error(`[verdict] worker polling task queue ${o.taskQueue} on ${o.address}${codec ? `, payloads encrypted (primary key ${codec.ring.primary})` : ''}`);
      await vw.run();
    });
}
