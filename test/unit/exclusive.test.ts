// The cluster lock's queue rules and what `verdict status` says of a waiting run.
import { dequeue, enqueue, holds, lockStanding, type LockHolder } from '../../src/core/exclusive';

const run = (id: string, execution = 'e1'): LockHolder => ({ workflowId: id, execution });

test('runs queue in the order they ask, once each; a release or withdrawal takes out only that execution', () => {
  let queue = enqueue(enqueue(enqueue([], run('a')), run('b')), run('a'));
  expect(queue).toEqual([run('a'), run('b')]);
  queue = enqueue(queue, run('a', 'e2')); // a reused run ID is another run
  expect(holds(queue, run('a'))).toBe(true);
  expect(holds(queue, run('b'))).toBe(false);
  expect(dequeue(queue, run('a'))).toEqual([run('b'), run('a', 'e2')]);
  expect(holds([], run('a'))).toBe(false);
});

test("a run's standing names its place in line and who holds the cluster", () => {
  const state = { cluster: 'gpu-1', queue: [run('a'), run('b'), run('c')] };
  expect(lockStanding(state, run('a'))).toBe('holds exclusive use of cluster gpu-1');
  expect(lockStanding(state, run('b'))).toBe('waiting for exclusive use of cluster gpu-1: 1 run ahead, held by run a');
  expect(lockStanding(state, run('c'))).toBe('waiting for exclusive use of cluster gpu-1: 2 runs ahead, held by run a');
  expect(lockStanding(state, run('d'))).toBe('waiting for exclusive use of cluster gpu-1: not in line yet, held by run a');
});
