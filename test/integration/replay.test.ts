// Determinism: histories recorded from real runs must replay on today's workflow code, so a
// change that would break running workflows fails here first. Set VERDICT_RECORD_HISTORIES=1 to
// add the histories of this test's fresh run to test/fixtures/histories.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { binaryPath } from '../../src/sandbox/binaries';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';
import { runSuite } from '../../src/workflows';

const dir = join(__dirname, '..', 'fixtures', 'histories');
const workflowsPath = require.resolve('../../src/workflows');

/** A workflow's history as the Temporal CLI exports it: the JSON format recorded histories use. */
const exportHistory = (workflowId: string) =>
  execFileSync(binaryPath('temporal'), ['workflow', 'show', '--address', process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', '-w', workflowId, '-o', 'json'], { encoding: 'utf8' });

test('every recorded history replays on the current workflow code', async () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  expect(files.length).toBeGreaterThan(0);
  const histories = files.map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: historyFromJSON(JSON.parse(readFileSync(join(dir, f), 'utf8'))) }));
  const failures: string[] = [];
  for await (const r of Worker.runReplayHistories({ workflowsPath }, histories)) {
    if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
  }
  expect(failures).toEqual([]);
});

test("a fresh run's histories (the run and each validator) replay", async () => {
  const namespace = testNamespace();
  const s = suite('replayed', namespace, [
    sim('passes', 'readiness', { 'exit-code': '0' }),
    sim('fails', 'deployment', { 'exit-code': '1', stdout: 'x' }),
    sim('skipped-later', 'conformance', { 'exit-code': '0' }),
  ], { inputs: { 'snapshot.yaml': 'a: 1\n' } });
  const runId = `replayed-${randomUUID()}`;
  await withVerdictWorker((taskQueue, client) => client.workflow.execute(runSuite, { taskQueue, workflowId: runId, args: [{ suite: s }] }));
  for (const workflowId of [runId, `${runId}--passes`, `${runId}--fails`]) {
    const json = exportHistory(workflowId);
    await Worker.runReplayHistory({ workflowsPath }, historyFromJSON(JSON.parse(json)), workflowId);
    if (process.env.VERDICT_RECORD_HISTORIES === '1') writeFileSync(join(dir, `${workflowId}.json`), json);
  }
});
