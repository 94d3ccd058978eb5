import { ApplicationFailure } from '@temporalio/common';
import { identityAnnotations, notOwnedBy } from '../../src/core/labels';
import { rootMessage } from '../../src/core/run';

const run = { runId: 'nightly', execution: 'e-1' };
const ours = { labels: { 'app.kubernetes.io/managed-by': 'verdict' }, annotations: identityAnnotations(run) };

test("an object is this run's only with our label, its run ID and its execution", () => {
  expect(notOwnedBy(ours, run)).toBeUndefined();
  expect(notOwnedBy({ ...ours, labels: {} }, run)).toBe('it is not managed by Verdict');
  expect(notOwnedBy(ours, { runId: 'other', execution: 'e-1' })).toBe('it belongs to run nightly');
  expect(notOwnedBy(ours, { runId: 'nightly', execution: 'e-2' })).toBe('it belongs to an earlier execution of run nightly (e-1)');
  // A run from before executions existed owns only objects that name none.
  expect(notOwnedBy(ours, { runId: 'nightly' })).toMatch(/earlier execution/);
  expect(notOwnedBy({ ...ours, annotations: identityAnnotations({ runId: 'nightly' }) }, { runId: 'nightly' })).toBeUndefined();
});

test("the root cause of a failure chain is the API server's own words", () => {
  const api = ApplicationFailure.nonRetryable('creating Job x in namespace y: pods "x" is forbidden: exceeded quota', 'KubernetesForbidden');
  const activity = new Error('Activity task failed', { cause: api });
  const child = new Error('Child Workflow execution failed', { cause: activity });
  expect(rootMessage(child)).toBe('creating Job x in namespace y: pods "x" is forbidden: exceeded quota');
  expect(rootMessage('plain')).toBe('plain');
});
