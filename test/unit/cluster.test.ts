import { clusterOfRunInput, taskQueueFor, wrongCluster } from '../../src/core/cluster';

test("the default cluster keeps the shared queue; any other has its own", () => {
  expect(taskQueueFor('default')).toBe('verdict');
  expect(taskQueueFor('gpu-a')).toBe('verdict-gpu-a');
});

test("a run's input names its cluster, the default when it says none; other inputs name none", () => {
  expect(clusterOfRunInput({ suite: {}, cluster: 'gpu-a' })).toBe('gpu-a');
  expect(clusterOfRunInput({ suite: {} })).toBe('default');
  expect(clusterOfRunInput({ suite: {}, clusters: ['a', 'b'] })).toBeUndefined(); // a fleet's work is on Temporal alone
  expect(clusterOfRunInput({ suite: {}, cluster: '' })).toBe('default');
  expect(clusterOfRunInput({ spec: {}, runId: 'r' })).toBeUndefined();
  expect(clusterOfRunInput(undefined)).toBeUndefined();
});

test("a worker refuses another cluster's activity, and takes its own and those that name none (runs from before)", () => {
  expect(wrongCluster('gpu-a', 'gpu-a')).toBeUndefined();
  expect(wrongCluster(undefined, 'gpu-a')).toBeUndefined();
  expect(wrongCluster('gpu-b', 'gpu-a')).toBe(
    'this activity belongs to a run on cluster "gpu-b", and this worker serves cluster "gpu-a": start the run on task queue verdict-gpu-b, where cluster "gpu-b"\'s workers poll, and give each task queue workers of one cluster (verdict worker --cluster)',
  );
});
