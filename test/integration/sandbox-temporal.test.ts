// The sandbox's Temporal dev server runs real workflows and activities.
import { randomUUID } from 'node:crypto';
import * as activities from '../fixtures/greeting-activities';
import type { greeting } from '../fixtures/greeting-workflow';
import { withClient, withWorker } from '../harness/temporal';
import { searchAttributes } from '../../temporal-config';

test('a workflow with one activity runs on the dev server', async () => {
  const result = await withWorker({ workflowsPath: require.resolve('../fixtures/greeting-workflow'), activities }, (taskQueue, client) =>
    client.workflow.execute<typeof greeting>('greeting', { taskQueue, workflowId: `greeting-${randomUUID()}`, args: ['verdict'] }),
  );
  expect(result).toBe('hello, verdict');
});

test("Verdict's search attributes are registered", async () => {
  const registered = await withClient(async (client) => {
    const res = await client.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    return Object.keys(res.customAttributes ?? {});
  });
  expect(registered).toEqual(expect.arrayContaining(Object.keys(searchAttributes)));
});
