import { defaultPolicy, sandboxPolicy } from '../../src/core/policy';
import { parseWorkerIdentity, policyId, workerIdentity } from '../../src/core/worker-identity';
import { clusterLines } from '../../src/cli/clusters-command';

test("a worker's identity says where it runs, its version and its policy, and reads back", () => {
  const identity = workerIdentity('4242@node-a', '0.1.0', defaultPolicy);
  expect(identity).toMatch(/^4242@node-a verdict\/0\.1\.0 policy\/default#[0-9a-f]{8}$/);
  expect(parseWorkerIdentity(identity)).toEqual({ where: '4242@node-a', version: '0.1.0', policy: policyId(defaultPolicy) });
  expect(parseWorkerIdentity('4242@node-a')).toEqual({ where: '4242@node-a' });
  // The hash is of the rules: the same rules give the same word, one changed rule another.
  expect(policyId({ ...defaultPolicy })).toBe(policyId(defaultPolicy));
  expect(policyId({ ...defaultPolicy, allowPrivileged: true })).not.toBe(policyId(defaultPolicy));
  expect(policyId(sandboxPolicy).startsWith('sandbox#')).toBe(true);
});

test('the clusters table: a row per worker, one for a cluster without; workers that disagree on the policy are named', () => {
  const now = new Date('2026-12-04T12:00:10Z');
  const seen = new Date('2026-12-04T12:00:00Z');
  const worker = (where: string, policy: string) => ({ identity: where, where, version: '0.1.0', policy, lastSeen: seen });
  expect(
    clusterLines(
      [
        { cluster: 'default', taskQueue: 'verdict', workers: [] },
        { cluster: 'gpu-a', taskQueue: 'verdict-gpu-a', workers: [worker('1@a', 'default#11111111'), worker('2@b', 'default#22222222')] },
      ],
      now,
    ),
  ).toEqual([
    'CLUSTER  TASK QUEUE     WORKER          VERSION  POLICY            LAST POLL',
    'default  verdict        no live worker',
    'gpu-a    verdict-gpu-a  1@a             0.1.0    default#11111111  10s ago',
    'gpu-a    verdict-gpu-a  2@b             0.1.0    default#22222222  10s ago',
    '',
    "cluster gpu-a: its workers enforce different policies; a run's check depends on which worker takes it",
  ]);
});
