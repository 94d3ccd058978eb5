// `verdict setup` registers Verdict's search attributes on a namespace of a real Temporal server,
// here a fresh namespace on the sandbox's dev server, and a second run changes nothing.
import { randomUUID } from 'node:crypto';
import { msToTs } from '@temporalio/common/lib/time';
import { verdict } from '../harness/cli';
import { eventually } from '../harness/eventually';
import { withClient } from '../harness/temporal';
import { searchAttributes } from '../../temporal-config';

const address = () => process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';

test('setup registers every search attribute on a fresh namespace, then finds them registered', async () => {
  const namespace = `verdict-setup-${randomUUID().slice(0, 8)}`;
  await withClient(async (client) => {
    await client.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    try {
      // A new namespace reaches the frontend's cache within a few seconds.
      const first = await eventually(async () => {
        const res = await verdict(['setup', '--address', address(), '--namespace', namespace]);
        return res.code === 0 ? res : undefined;
      }, `verdict setup on ${namespace}`, 60_000);
      for (const name of Object.keys(searchAttributes)) expect(first.stdout).toContain(`${name} (${searchAttributes[name as keyof typeof searchAttributes]}): registered`);

      const listed = await client.connection.operatorService.listSearchAttributes({ namespace });
      expect(Object.keys(listed.customAttributes ?? {})).toEqual(expect.arrayContaining(Object.keys(searchAttributes)));

      const second = await verdict(['setup', '--address', address(), '--namespace', namespace]);
      expect(second.code).toBe(0);
      expect(second.stdout).not.toMatch(/: registered$/m);
      expect(second.stdout).toContain(`VerdictSuite (Keyword): already registered`);
    } finally {
      await client.connection.operatorService.deleteNamespace({ namespace }).catch(() => undefined);
    }
  });
});

test('setup against a server that is not there exits 2 with a hint', async () => {
  const res = await verdict(['setup', '--address', '127.0.0.1:1']);
  expect(res.code).toBe(2);
  expect(res.stderr).toContain('cannot reach Temporal at 127.0.0.1:1');
});
