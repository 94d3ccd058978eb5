// Disruptive tests run alone (after the others): they stop and start sandbox servers.
import { randomUUID } from 'node:crypto';
import * as activities from '../fixtures/greeting-activities';
import type { greeting } from '../fixtures/greeting-workflow';
import { withClient, withWorker } from '../harness/temporal';
import { restart } from '../../src/sandbox/sandbox';

test('a finished workflow is still there after the dev server restarts on the same database file', async () => {
  const workflowId = `greeting-${randomUUID()}`;
  await withWorker({ workflowsPath: require.resolve('../fixtures/greeting-workflow'), activities }, (taskQueue, client) =>
    client.workflow.execute<typeof greeting>('greeting', { taskQueue, workflowId, args: ['durable'] }),
  );

  await restart('temporal');

  const { status, result } = await withClient(async (client) => {
    const handle = client.workflow.getHandle<typeof greeting>(workflowId);
    return { status: (await handle.describe()).status.name, result: await handle.result() };
  });
  expect(status).toBe('COMPLETED');
  expect(result).toBe('hello, durable');
});
