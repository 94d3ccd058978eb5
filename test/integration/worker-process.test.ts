// `verdict worker` as a production process: the compiled CLI with its pre-built workflow bundle,
// against the sandbox, with metrics and health on free ports, JSON logs, a run through it, and a
// graceful exit on SIGTERM; a bad configuration exits 2 before connecting anywhere.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../../src/sandbox/binaries';
import { runSuite } from '../../src/workflows';
import { verdict } from '../harness/cli';
import { eventually } from '../harness/eventually';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';
import { withClient } from '../harness/temporal';
import { freePort } from '../harness/worker-process';

interface Spawned {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
}

function spawnVerdict(args: string[]): Spawned {
  let stderr = '';
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'verdict'), ...args], { env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exit };
}

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
};

test('a worker process: JSON logs, /metrics, /readyz while running, a run through it, exit 0 on SIGTERM', async () => {
  expect(existsSync(join(repoRoot, 'dist', 'workflow-bundle.js'))).toBe(true); // `npm run build` pre-bundles the workflows
  const taskQueue = `worker-process-${randomUUID()}`;
  const [metricsPort, healthPort] = [await freePort(), await freePort()];
  // The run below uses the test's vt-* namespace: only the sandbox policy allows it.
  const w = spawnVerdict(['worker', '--task-queue', taskQueue, '--policy-preset', 'sandbox', '--listen-address', '127.0.0.1', '--metrics-port', String(metricsPort), '--health-port', String(healthPort), '--shutdown-grace-seconds', '5']);
  try {
    await eventually(async () => (w.stderr().includes('worker polling') ? true : w.child.exitCode !== null ? Promise.reject(new Error(w.stderr())) : undefined), 'the worker to poll');

    const health = `http://127.0.0.1:${healthPort}`;
    expect(await get(`${health}/healthz`)).toEqual({ status: 200, body: '{"status":"alive"}\n' });
    expect(await get(`${health}/readyz`)).toEqual({ status: 200, body: '{"state":"RUNNING"}\n' });
    expect((await get(`${health}/nope`)).status).toBe(404);

    const tiny = suite('tiny', testNamespace(), [sim('hello', 'deployment', { 'exit-code': '0', stdout: 'hello from the worker process' })]);
    const output = await withClient((client) => client.workflow.execute(runSuite, { taskQueue, workflowId: `run-${randomUUID()}`, args: [{ suite: tiny }] }));
    expect(output.status).toBe('passed');
    expect(output.report.results.tests[0]).toMatchObject({ name: 'hello', status: 'passed', stdout: ['hello from the worker process'] });

    // Temporal's worker metrics, labelled with this worker's task queue.
    const metrics = await eventually(async () => {
      const { status, body } = await get(`http://127.0.0.1:${metricsPort}/metrics`);
      return status === 200 && new RegExp(`^temporal_workflow_completed\\{[^}]*task_queue="${taskQueue}"[^}]*\\} [1-9]`, 'm').test(body) ? body : undefined;
    }, 'the workflow_completed metric');
    expect(metrics).toMatch(new RegExp(`^temporal_num_pollers\\{[^}]*task_queue="${taskQueue}"`, 'm'));
    expect(metrics).toMatch(/^temporal_activity_execution_latency_count\{/m);

    w.child.kill('SIGTERM');
    expect(await w.exit).toBe(0);
    await expect(fetch(`${health}/healthz`)).rejects.toThrow(); // the health server is closed
  } finally {
    if (w.child.exitCode === null) w.child.kill('SIGKILL');
  }

  // Every stderr line is one JSON object with its time, level and message.
  const lines = w.stderr().trimEnd().split('\n');
  const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
  expect(records.filter((r) => typeof r.time !== 'string' || typeof r.message !== 'string' || !levels.includes(String(r.level)))).toEqual([]);
  expect(records.find((r) => String(r.message).startsWith(`worker polling task queue ${taskQueue}`))).toMatchObject({ level: 'INFO', connection: 'local', namespace: 'default', cluster: 'default' });
  expect(records).toContainEqual(expect.objectContaining({ message: 'worker draining on SIGTERM: in-flight activities have 5s', signal: 'SIGTERM' }));
  expect(records.at(-1)).toMatchObject({ message: 'worker stopped' });
});

test('a bad configuration exits 2 listing every bad setting, without connecting to Temporal', async () => {
  // A stand-in for the Temporal frontend that counts connections.
  let connections = 0;
  const frontend = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => frontend.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(frontend.address() as AddressInfo).port}`;
  try {
    const missing = join(repoRoot, 'no-such-cert.pem');
    const result = await verdict(['worker', '--address', address, '--tls-cert', missing, '--max-activities', '0', '--health-port', 'http'], { VERDICT_LOG_FORMAT: 'yaml', TEMPORAL_API_KEY: 'k' });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'verdict: invalid worker configuration:',
      `  tlsCert (--tls-cert, TEMPORAL_TLS_CERT) = ${JSON.stringify(missing)}: no such file`,
      '  maxActivities (--max-activities, VERDICT_MAX_CONCURRENT_ACTIVITIES) = "0": must be at least 1',
      '  healthPort (--health-port, VERDICT_HEALTH_PORT) = "http": must be a port number (0 turns it off)',
      '  logFormat (--log-format, VERDICT_LOG_FORMAT) = "yaml": must be json or text',
      "  tlsKey (--tls-key, TEMPORAL_TLS_KEY) = unset: mTLS needs the client certificate's private key too (--tls-key)",
      '  apiKey (--api-key, TEMPORAL_API_KEY) = (hidden): use either an API key (Temporal Cloud) or an mTLS client certificate, not both',
    ]);

    // A port already taken is named too, and the worker still connects nowhere.
    const taken = (frontend.address() as AddressInfo).port;
    const quiet = ['worker', '--address', address, '--listen-address', '127.0.0.1'];
    const health = await verdict([...quiet, '--metrics-port', '0', '--health-port', String(taken)]);
    expect(health.code).toBe(2);
    expect(health.stderr).toContain(`verdict: healthPort (--health-port, VERDICT_HEALTH_PORT) = ${taken}: cannot listen on 127.0.0.1:${taken}: listen EADDRINUSE`);
    const metrics = await verdict([...quiet, '--metrics-port', String(taken), '--health-port', '0']);
    expect(metrics.code).toBe(2);
    expect(metrics.stderr).toContain(`verdict: metricsPort (--metrics-port, VERDICT_METRICS_PORT) = ${taken}: cannot listen on 127.0.0.1:${taken}: Failed to start prometheus metrics exporter`);
    expect(connections).toBe(0);
  } finally {
    await new Promise((resolve) => frontend.close(resolve));
  }
});
