// Starting a run from your own program with Verdict's client API (src/client): connect, start a
// run of a suite object, print progress while it runs, then print the report's summary.
//
//   npm run build && node dist/examples/client-api.js
//
// A worker must poll the task queue (`verdict worker`, or the sandbox and `./bin/verdict worker`).
// Settings, all optional: TEMPORAL_ADDRESS (127.0.0.1:7233), VERDICT_TASK_QUEUE (verdict),
// VERDICT_NAMESPACE (the Kubernetes namespace the validators run in: verdict-example).
// Exit code: 0 the run passed, 1 it failed, 2 the input was refused (nothing started), 3 anything else.
import { connect, InvalidRunInput, progressOf, startRun, type RunHandle, type RunInput } from '../src/client';

// Simulated validators: in the sandbox a pod does what its sandbox.verdict.dev/* annotations say.
// On a real cluster, name real images instead (see real-cluster-suite.yaml).
const input: RunInput = {
  suite: {
    name: 'client-api-example',
    namespace: process.env.VERDICT_NAMESPACE ?? 'verdict-example',
    validators: [
      {
        name: 'nodes-ready',
        phase: 'readiness',
        image: 'example.com/checks:1',
        podAnnotations: { 'sandbox.verdict.dev/stdout': '3 of 3 nodes ready' },
      },
      {
        name: 'rdma',
        phase: 'deployment',
        image: 'example.com/checks:1',
        podAnnotations: { 'sandbox.verdict.dev/duration-seconds': '1', 'sandbox.verdict.dev/exit-code': '2', 'sandbox.verdict.dev/message': 'no RDMA devices' },
      },
    ],
  },
  labels: { startedBy: 'examples/client-api.ts' },
};

/** Prints each validator's state whenever it changes, until `done` settles. */
async function printProgress(handle: RunHandle, done: Promise<unknown>): Promise<void> {
  const seen = new Map<string, string>();
  let finished = false;
  void done.finally(() => (finished = true)).catch(() => undefined);
  for (;;) {
    const last = finished; // read before querying, so the last query shows the final states
    const progress = await progressOf(handle).catch(() => undefined); // not answerable before the first workflow task
    for (const v of progress?.validators ?? []) {
      const line = `${v.state}${v.message ? `: ${v.message}` : ''}`;
      if (seen.get(v.name) !== line) console.log(`  ${v.phase}/${v.name}: ${line}`);
      seen.set(v.name, line);
    }
    if (last) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<number> {
  const client = await connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  try {
    const handle = await startRun(client, input, { taskQueue: process.env.VERDICT_TASK_QUEUE });
    console.log(`started run ${handle.workflowId}`);
    const result = handle.result();
    await printProgress(handle, result);
    const { status, report } = await result;
    const s = report.results.summary;
    console.log(`run ${handle.workflowId}: ${status}: ${s.tests} tests, ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.other} other`);
    for (const t of report.results.tests) console.log(`  ${t.status.padEnd(7)} ${t.name}${t.message ? ` (${t.message})` : ''}`);
    return status === 'passed' ? 0 : 1;
  } finally {
    await client.connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof InvalidRunInput) {
      console.error(`the suite was refused, nothing was started:\n${err.message}`);
      process.exit(2);
    }
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(3);
  },
);
