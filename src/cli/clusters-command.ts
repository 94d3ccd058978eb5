// `verdict clusters`: the clusters Verdict knows, and the workers polling each one's task queue
// lately, with the version and the policy each says it enforces.
import { Command } from 'commander';
import { clusterWorkers, knownClusters, type ClusterWorkers } from '../client/clusters';
import { addressOption, connectCli } from './connection';
import { aligned } from './summary';

const ago = (since: Date, now: Date) => `${Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000))}s ago`;

/** One row per worker, one for a cluster with none; then a line for each cluster whose workers enforce different policies. */
export function clusterLines(clusters: ClusterWorkers[], now = new Date()): string[] {
  const rows = clusters.flatMap(({ cluster, taskQueue, workers }) =>
    workers.length ? workers.map((w) => [cluster, taskQueue, w.where, w.version ?? '?', w.policy ?? '? (not a Verdict worker, or one older than 0.1.0)', ago(w.lastSeen, now)]) : [[cluster, taskQueue, 'no live worker', '', '', '']],
  );
  const split = clusters.filter((c) => new Set(c.workers.map((w) => w.policy)).size > 1).map((c) => `cluster ${c.cluster}: its workers enforce different policies; a run's check depends on which worker takes it`);
  return [...aligned(['CLUSTER', 'TASK QUEUE', 'WORKER', 'VERSION', 'POLICY', 'LAST POLL'], rows), ...(split.length ? ['', ...split] : [])];
}

export function clustersCommand(): Command {
  return new Command('clusters')
    .description("the clusters recent runs named (and the default), each with the workers polling its task queue: their version and policy (preset#hash; a run's report records the rules)")
    .option('--cluster <name...>', 'also ask about these clusters')
    .addOption(addressOption())
    .action(async (o: { cluster?: string[]; address?: string }) => {
      const client = await connectCli(o.address);
      try {
        const names = await knownClusters(client, o.cluster);
        const clusters = await Promise.all(names.map((c) => clusterWorkers(client, c)));
        for (const line of clusterLines(clusters)) console.log(line);
      } finally {
        await client.connection.close();
      }
    });
}
