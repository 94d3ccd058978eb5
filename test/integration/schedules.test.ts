// Nightly runs as Temporal Schedules, through the CLI, on the real dev server.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { verdict } from '../harness/cli';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { eventually } from '../harness/eventually';
import { sim, suite } from '../harness/suites';
import { runHandle } from '../../src/client';

test('create, describe, pause, trigger (a run starts and completes), delete', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-schedule-'));
  const file = join(dir, 'nightly.yaml');
  writeFileSync(file, stringify(suite('nightly', testNamespace(), [sim('check', 'deployment', { 'exit-code': '0' })])));
  const id = `nightly-${randomUUID().slice(0, 8)}`;

  await withVerdictWorker(async (taskQueue, client) => {
    const created = await verdict(['schedule', 'create', id, '--suite', file, '--cron', '0 2 * * *', '--timezone', 'Europe/Paris', '--overlap', 'buffer-one', '--task-queue', taskQueue]);
    expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining(`schedule ${id} created`) as string });
    try {
      const described = await verdict(['schedule', 'describe', id]);
      expect(described.stdout).toContain(`schedule ${id}: active, suite nightly, cron "0 2 * * *" (Europe/Paris), overlap BUFFER_ONE`);
      expect(described.stdout).toMatch(/next runs: \d{4}-\d\d-\d\dT(00|01):00:00/); // 02:00 in Paris is 00:00 or 01:00 UTC

      expect((await verdict(['schedule', 'pause', id])).code).toBe(0);
      expect((await verdict(['schedule', 'describe', id])).stdout).toContain(`schedule ${id}: paused`);
      expect((await verdict(['schedule', 'unpause', id])).code).toBe(0);

      expect((await verdict(['schedule', 'trigger', id])).code).toBe(0);
      const runId = await eventually(async () => (await client.schedule.getHandle(id).describe()).info.recentActions[0]?.action.workflow.workflowId, 'the triggered run', 30_000);
      expect(runId.startsWith(`${id}-`)).toBe(true);
      const { status, report } = await runHandle(client, runId).result();
      expect(status).toBe('passed');
      expect(report.results.extra).toMatchObject({ schedule: id }); // the report names the schedule that started it
      expect((await verdict(['schedule', 'list'])).stdout).toContain(id);
    } finally {
      expect((await verdict(['schedule', 'delete', id])).code).toBe(0);
    }
  });
});

test('a schedule with an invalid suite is refused and not created', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-schedule-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'name: bad\nvalidators: []\n');
  const id = `bad-${randomUUID().slice(0, 8)}`;
  const res = await verdict(['schedule', 'create', id, '--suite', file, '--cron', '0 2 * * *']);
  expect(res.code).toBe(2);
  expect(res.stderr).toContain('validators: a suite needs at least one validator');
  expect((await verdict(['schedule', 'describe', id])).code).not.toBe(0);
});
