// More of what only a real kubelet shows, through Verdict on the sandbox's real node: the
// termination message's 4096-byte cut and its fallback to the log, Verdict's own timeout on a
// running container, input files and the user the runtime enforces, and megabytes of stdout.
import { randomUUID } from 'node:crypto';
import { withVerdictWorker } from '../harness/verdict-worker';
import { eventually } from '../harness/eventually';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { realNodeName, requireRealNode, script } from '../harness/real-node';
import { runSuite } from '../../src/workflows';
import type { SuiteInput } from '../../src/core/spec';

beforeAll(requireRealNode);

async function run(suite: SuiteInput) {
  const output = await withVerdictWorker((taskQueue, client) =>
    client.workflow.execute(runSuite, { taskQueue, workflowId: `real-${randomUUID()}`, args: [{ suite }] }),
  );
  return Object.fromEntries(output.report.results.tests.map((t) => [t.name, t]));
}

test('termination messages: cut at 4096 bytes by the kubelet; the log tail when none is written', async () => {
  const byName = await run({
    name: 'real-messages',
    namespace: testNamespace(),
    failFast: false,
    validators: [
      // 5000 bytes: "ab" 2500 times.
      script('long-message', 'readiness', `i=0; while [ $i -lt 2500 ]; do printf ab; i=$((i+1)); done > /dev/termination-log; exit 1`),
      script('no-message', 'readiness', 'echo checking; echo driver missing; exit 1'),
    ],
  });
  expect(byName['long-message']).toMatchObject({ status: 'failed', message: 'ab'.repeat(2048), extra: { exitCode: 1, node: realNodeName } });
  // The kubelet falls back to the log's tail (FallbackToLogsOnError): the validator's last words.
  expect(byName['no-message']).toMatchObject({ status: 'failed', message: 'checking\ndriver missing', stdout: ['checking', 'driver missing'], extra: { exitCode: 1 } });
});

test("Verdict's timeout on a running container: the stdout up to the kill is in the report", async () => {
  const byName = await run({
    name: 'real-timeout',
    namespace: testNamespace(),
    validators: [script('slow', 'readiness', 'echo step 1; echo step 2; exec sleep 600', { timeout: '5s' })],
  });
  expect(byName.slow).toMatchObject({
    status: 'other',
    message: 'timeout: the validator did not complete within 5s',
    stdout: ['step 1', 'step 2'],
    extra: { exitCode: -1, reason: 'Timeout', node: realNodeName },
  });
});

test('input files are readable and read-only inside the container; runAsUser is the process user', async () => {
  const byName = await run({
    name: 'real-inputs',
    namespace: testNamespace(),
    inputs: { 'snapshot.yaml': 'nodes: 3\n' },
    validators: [
      script(
        'reads',
        'readiness',
        // The mount's first option ("ro"), then a write attempt that must fail.
        'id -u; cat "$VERDICT_INPUT_SNAPSHOT_YAML"; grep " /verdict/inputs " /proc/mounts | cut -d" " -f4 | cut -d, -f1; ' +
          'if echo x 2>/dev/null >> "$VERDICT_INPUT_SNAPSHOT_YAML"; then echo writable; else echo not writable; fi',
        { runAsUser: 4242 },
      ),
    ],
  });
  expect(byName.reads).toMatchObject({ status: 'passed', stdout: ['4242', 'nodes: 3', 'ro', 'not writable'], extra: { exitCode: 0, node: realNodeName } });
});

test('megabytes of stdout read back from the real log, capped as documented, go test JSON parsed', async () => {
  const events = ['{"Action":"pass","Test":"TestDriver","Elapsed":0.5}', '{"Action":"fail","Test":"TestRDMA","Elapsed":1.25}'];
  const byName = await run({
    name: 'real-stdout',
    namespace: testNamespace(),
    validators: [
      script('chatty', 'readiness', `i=0; while [ $i -lt 100000 ]; do echo "line $i of the validator's long output"; i=$((i+1)); done; echo '${events[0]}'; echo '${events[1]}'; exit 1`),
    ],
  });
  const chatty = byName.chatty;
  // About 4.2 MB were written; the report keeps the newest 1000 lines and says it cut the rest.
  const kept = Array.from({ length: 998 }, (_, i) => `line ${99002 + i} of the validator's long output`);
  expect(chatty.stdout).toEqual([...kept, ...events]);
  expect(chatty).toMatchObject({
    status: 'failed',
    extra: {
      exitCode: 1,
      node: realNodeName,
      stdoutTruncated: true,
      tests: [
        { name: 'TestDriver', status: 'passed', durationMs: 500 },
        { name: 'TestRDMA', status: 'failed', durationMs: 1250 },
      ],
    },
  });
});

test('cancelling a run mid-validator: SIGTERM, then SIGKILL only after the 30 s grace period', async () => {
  const namespace = testNamespace();
  const suite: SuiteInput = {
    name: 'real-cancel',
    namespace,
    validators: [
      script('handles-term', 'readiness', "trap 'echo got SIGTERM; exit 143' TERM; echo started; while :; do sleep 1; done"),
      // PID 1 with no handler: SIGTERM does nothing, so only the SIGKILL after the grace period ends it.
      script('ignores-term', 'readiness', 'echo started; exec sleep 600'),
    ],
  };
  const pods = () => clients().core.listNamespacedPod({ namespace }).then((l) => l.items);
  const { out, goneAfterMs } = await withVerdictWorker(async (taskQueue, client) => {
    const handle = await client.workflow.start(runSuite, { taskQueue, workflowId: `real-cancel-${randomUUID()}`, args: [{ suite }] });
    await eventually(async () => ((await pods()).filter((p) => p.status?.phase === 'Running').length === 2 ? true : undefined), 'both pods to run');
    await new Promise((r) => setTimeout(r, 1500)); // past "started"
    const cancelled = Date.now();
    await handle.cancel();
    // When each validator's pod disappears after the cancel.
    const goneAfterMs: Record<string, number> = {};
    while (Object.keys(goneAfterMs).length < 2 && Date.now() - cancelled < 60_000) {
      const left = (await pods()).map((p) => p.metadata?.labels?.['verdict.dev/validator']);
      for (const v of ['handles-term', 'ignores-term']) if (!left.includes(v) && !(v in goneAfterMs)) goneAfterMs[v] = Date.now() - cancelled;
      await new Promise((r) => setTimeout(r, 250));
    }
    return { out: await handle.result(), goneAfterMs };
  });
  expect(out.status).toBe('cancelled');
  const byName = Object.fromEntries(out.report.results.tests.map((t) => [t.name, t]));
  for (const name of ['handles-term', 'ignores-term']) {
    expect(byName[name]).toMatchObject({
      status: 'other',
      message: 'cancelled: the run was cancelled before the validator finished',
      stdout: ['started'],
      extra: { exitCode: -1, reason: 'Cancelled', node: realNodeName },
    });
  }
  expect(goneAfterMs['handles-term']).toBeLessThan(10_000);
  expect(goneAfterMs['ignores-term']).toBeGreaterThanOrEqual(28_000);
});
