// `verdict clusters` against the sandbox's Temporal: a cluster with a live worker shows it, with
// its version and policy read from its identity; a cluster nobody serves says so.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { taskQueueFor } from '../../src/core/cluster';
import { defaultPolicy, sandboxPolicy } from '../../src/core/policy';
import { policyId } from '../../src/core/worker-identity';
import { verdict } from '../harness/cli';
import { eventually } from '../harness/eventually';
import { withVerdictWorker } from '../harness/verdict-worker';

test('a live worker is listed under its cluster with its version and policy; an unserved cluster has none', async () => {
  const cluster = `clusters-${randomUUID().slice(0, 8)}`;
  const unserved = `${cluster}-none`;
  const env = { TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' };
  const rows = await withVerdictWorker(
    () =>
      eventually(async () => {
        const out = await verdict(['clusters', '--cluster', cluster, unserved], env);
        expect(out.code).toBe(0);
        const lines = out.stdout.split('\n');
        return lines.some((l) => l.startsWith(`${cluster} `)) ? lines : undefined;
      }, 'the worker to poll'),
    taskQueueFor(cluster),
    defaultPolicy,
    { cluster },
  );
  const row = rows.find((l) => l.startsWith(`${cluster} `))!.split(/\s{2,}/);
  expect(row.slice(0, 5)).toEqual([cluster, taskQueueFor(cluster), `${process.pid}@${hostname()}`, '0.1.0', policyId(defaultPolicy)]);
  expect(policyId(defaultPolicy)).not.toBe(policyId(sandboxPolicy));
  expect(rows.find((l) => l.startsWith(`${unserved} `))?.split(/\s{2,}/)).toEqual([unserved, taskQueueFor(unserved), 'no live worker']);
});
