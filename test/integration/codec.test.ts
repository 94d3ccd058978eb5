// Secrets never sit in Temporal history in clear: a run whose suite carries a secret-marked env
// value runs on a worker with the AES-GCM codec; its raw history, read without the key, holds
// neither that value nor any other marker; a client with the key reads the (redacted) report; the
// codec server decodes a payload from that history for holders of the token only.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { connect, InvalidRunInput, runHandle, startRun, type RunOutput } from '../../src/client';
import { AesGcmCodec, encryptedEncoding, keyRing } from '../../src/codec';
import { toJson } from '../../src/codec/json';
import { startCodecServer } from '../../src/codec/server';
import { clusterHeader, defaultCluster } from '../../src/core/cluster';
import { failureTypes } from '../../src/core/failures';
import { redactedMark } from '../../src/core/secrets';
import { validatorWorkflowId } from '../../src/core/names';
import { repoRoot } from '../../src/sandbox/binaries';
import { createVerdictWorker } from '../../worker/worker';
import { sandboxPolicy } from '../../src/core/policy';
import { verdict } from '../harness/cli';
import { withClient } from '../harness/temporal';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';

const address = () => process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const keyB64 = randomBytes(32).toString('base64');
const codec = new AesGcmCodec(keyRing([{ source: 'test', id: 'test-key-1', key: keyB64 }]));
const text = (b?: Uint8Array | null) => Buffer.from(b ?? []).toString('utf8');

interface Found {
  path: string;
  payload: Payload;
}

/** Every Payload object anywhere in a decoded history, with its field path (event numbers as []). */
function payloadsIn(value: unknown, path = '', out: Found[] = []): Found[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return out;
  const o = value as Record<string, unknown>;
  if (o.data instanceof Uint8Array && o.metadata && typeof o.metadata === 'object') out.push({ path, payload: o });
  for (const [k, v] of Object.entries(o)) payloadsIn(v, /^\d+$/.test(k) ? `${path}[]` : `${path}.${k}`, out);
  return out;
}

/** The run's history and its validators' (child workflow) histories, as the server stores them. */
async function histories(client: Client, runId: string): Promise<Map<string, temporal.api.history.v1.IHistory>> {
  const all = new Map<string, temporal.api.history.v1.IHistory>();
  const run = await runHandle(client, runId).fetchHistory();
  all.set(runId, run);
  for (const e of run.events ?? []) {
    const child = e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
    if (child) all.set(child, await client.workflow.getHandle(child).fetchHistory());
  }
  return all;
}

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

test('a secret-marked value and every other marker stay out of history in clear; key holders read the report', async () => {
  const secret = `MARKER-SECRET-${randomUUID()}`;
  const plain = `MARKER-PLAIN-${randomUUID()}`;
  const runId = `codec-${randomUUID()}`;
  const input = {
    suite: suite('codec', testNamespace(), [
      sim('echoes', 'deployment', { 'exit-code': '0', stdout: `connecting with ${secret}\n${plain}`, message: `authenticated as ${secret}` }, { env: [{ name: 'DB_PASSWORD', value: secret, secret: true }, { name: 'NOTE', value: plain }] }),
    ]),
    labels: { note: plain },
  };
  const taskQueue = `verdict-codec-${randomUUID()}`;

  // Without a codec, the client refuses to start the run at all, naming the field.
  await withClient(async (clear) => {
    await expect(startRun(clear, input, { taskQueue, workflowId: runId })).rejects.toThrow(InvalidRunInput);
    await expect(startRun(clear, input, { taskQueue, workflowId: runId })).rejects.toThrow(/validators\.0\.env\.0 \(DB_PASSWORD\): marked secret, but this client has no payload codec/);
    await expect(clear.workflow.getHandle(runId).describe()).rejects.toThrow(/not found/i);
  });

  const keyed = await connect({ address: address(), codec });
  const vw = await createVerdictWorker({ temporalAddress: address(), taskQueue, kubeconfig: process.env.KUBECONFIG, shutdownGraceTimeMs: 5_000, codec, policy: sandboxPolicy });
  let output: RunOutput;
  try {
    const handle = await startRun(keyed, input, { taskQueue, workflowId: runId });
    output = await vw.worker.runUntil(handle.result());
  } finally {
    vw.watches.stop();
  }

  // The key holder reads the report; the secret is redacted from what the validator printed.
  expect(output.status).toBe('passed');
  const [t] = output.report.results.tests;
  expect(t).toMatchObject({ name: 'echoes', status: 'passed', stdout: [`connecting with ${redactedMark}`, plain], message: `authenticated as ${redactedMark}` });
  expect(JSON.stringify(output)).not.toContain(secret);

  await withClient(async (clear) => {
    const stored = await histories(clear, runId);
    expect([...stored.keys()]).toEqual([runId, validatorWorkflowId(runId, 'echoes')]);
    let encrypted = 0;
    const inClear = new Set<string>();
    for (const [id, history] of stored) {
      const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
      expect({ id, secret: raw.includes(secret), plain: raw.includes(plain) }).toEqual({ id, secret: false, plain: false });
      for (const { path, payload: p } of payloadsIn(history)) {
        for (const needle of [secret, plain]) expect(Buffer.from(p.data!).includes(needle)).toBe(false);
        if (text(p.metadata?.encoding) === encryptedEncoding) encrypted++;
        else inClear.add(path);
        if (path.endsWith(`.header.fields.${clusterHeader}`)) expect(text(p.data)).toBe(JSON.stringify(defaultCluster));
      }
    }
    // The inputs and results of both workflows and of every activity: dozens of encrypted payloads.
    expect(encrypted).toBeGreaterThan(10);
    // Only search attributes stay readable (the server indexes them): suite, status, cluster, counts;
    // the SDK's patch markers, which hold a patch's ID and nothing of the run; and the cluster header,
    // which names the cluster the task queue and the VerdictCluster attribute already name in clear.
    const readable = new RegExp(
      [
        String.raw`\.searchAttributes\.indexedFields\.(Verdict\w+|TemporalChangeVersion)$`,
        String.raw`\.markerRecordedEventAttributes\.details\.patch-data\.payloads\[\]$`,
        String.raw`\.header\.fields\.${clusterHeader}$`,
      ].join('|'),
    );
    expect([...inClear].filter((path) => !readable.test(path))).toEqual([]);
    // Without the key, the result cannot be read at all.
    await expect(runHandle(clear, runId).result()).rejects.toThrow(/binary\/encrypted|encoding/i);

    // The search above would have found the values: the run's input, decrypted, holds them.
    const started = stored.get(runId)!.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
    const decrypted = text((await codec.decode(started))[0].data);
    expect(decrypted).toContain(secret);
    expect(decrypted).toContain(plain);

    // The codec endpoint decodes that payload for token holders only, with CORS for the Web UI.
    const token = randomUUID();
    const server = await startCodecServer({ codec, port: 0, token });
    try {
      const body = toJson(started);
      const ok = await post(`${server.url}/decode`, body, { Authorization: `Bearer ${token}`, Origin: 'http://localhost:8233', 'X-Namespace': 'default' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
      const decoded = (await ok.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
      expect(Buffer.from(decoded.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');
      expect(Buffer.from(decoded.payloads[0].data, 'base64').toString()).toContain(secret);

      const wrong: Record<string, string>[] = [{}, { Authorization: `Bearer ${token}x` }, { Authorization: token }];
      for (const headers of wrong) {
        const refused = await post(`${server.url}/decode`, body, headers);
        expect(refused.status).toBe(401);
        expect(await refused.text()).not.toContain(secret);
      }
      const preflight = await fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:8233', 'Access-Control-Request-Method': 'POST' } });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
      const foreign = await fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

      const bad = await post(`${server.url}/decode`, { payloads: [{ data: 'not base64!' }] }, { Authorization: `Bearer ${token}` });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('payloads.0.data');
    } finally {
      await server.close();
    }
  });
  await keyed.connection.close();
});

const cli = join(repoRoot, 'bin', 'verdict');
const cliToken = `cli-token-${randomUUID()}`;
const keyEnv = { VERDICT_CODEC_KEYS: `test-key-1:${keyB64}`, VERDICT_CODEC_KEY_FILE: '', VERDICT_CODEC_TOKEN: '' };

/** Starts `verdict codec-server`; resolves with its URL once it listens. */
function codecServer(args: string[], env: Record<string, string>): Promise<{ url: string; line: string; stop: () => void }> {
  const child = spawn(process.execPath, [cli, 'codec-server', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /codec server on (http:\/\/\S+) .*/.exec(err);
      if (m) resolve({ url: m[1], line: m[0], stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`codec-server exited ${code}: ${err}`)));
  });
}

/** Runs `verdict codec-server` expecting it to refuse to start: its exit code and stderr. */
async function refusedServer(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [cli, 'codec-server', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stderr };
}

/** A request with a Host header of our choosing (fetch does not let a caller set Host). */
function rawPost(url: string, host: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: '/decode', method: 'POST', headers: { Host: host, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data), ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

test('verdict codec-server serves the keys from the environment for token holders only, under its own Host name', async () => {
  const server = await codecServer([], { ...keyEnv, VERDICT_CODEC_TOKEN: cliToken });
  try {
    expect(server.line).toMatch(/\(keys test-key-1; primary test-key-1; bearer token required; Host 127\.0\.0\.1:\d+, localhost:\d+, \[::1\]:\d+\)/);
    const encoded = await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"hello"') }]);
    const res = await post(`${server.url}/decode`, toJson(encoded), { Authorization: `Bearer ${cliToken}` });
    expect(res.status).toBe(200);
    const back = (await res.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(back.payloads[0].data, 'base64').toString()).toBe('"hello"');
    expect((await post(`${server.url}/encode`, toJson(encoded))).status).toBe(401);

    // DNS rebinding: a page on another name that resolves here sends its own name as Host.
    const port = new URL(server.url).port;
    const auth = { Authorization: `Bearer ${cliToken}` };
    expect((await rawPost(server.url, `localhost:${port}`, toJson(encoded), auth)).status).toBe(200);
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${Number(port) + 1}`, `127.0.0.1.evil.example:${port}`]) {
      const refused = await rawPost(server.url, host, toJson(encoded), auth);
      expect({ host, status: refused.status }).toEqual({ host, status: 421 });
      expect(refused.text).toContain('DNS-rebinding defence');
      expect(refused.text).not.toContain('hello');
    }
  } finally {
    server.stop();
  }
});

test('verdict codec-server refuses to start open: no keys, no token, a short token, an unchecked Host; --insecure-no-auth is explicit', async () => {
  const noKeys = await refusedServer([], { ...keyEnv, VERDICT_CODEC_KEYS: '', VERDICT_CODEC_TOKEN: cliToken });
  expect(noKeys.code).toBe(2);
  expect(noKeys.stderr).toContain('codec-server needs keys: VERDICT_CODEC_KEYS=id:base64key');
  const noToken = await refusedServer([], keyEnv);
  expect(noToken.code).toBe(2);
  expect(noToken.stderr).toContain('needs a bearer token: set VERDICT_CODEC_TOKEN or --token-file <file>');
  const short = await refusedServer([], { ...keyEnv, VERDICT_CODEC_TOKEN: 'cli-token' });
  expect(short.code).toBe(2);
  expect(short.stderr).toContain('is 9 characters long; use at least 16');
  expect(short.stderr).not.toContain('cli-token');
  const both = await refusedServer(['--insecure-no-auth'], { ...keyEnv, VERDICT_CODEC_TOKEN: cliToken });
  expect(both.code).toBe(2);
  expect(both.stderr).toContain('--insecure-no-auth and a token ($VERDICT_CODEC_TOKEN) exclude each other');
  const wildcard = await refusedServer(['--host', '0.0.0.0'], { ...keyEnv, VERDICT_CODEC_TOKEN: cliToken });
  expect(wildcard.code).toBe(2);
  expect(wildcard.stderr).toContain('listening on 0.0.0.0 matches no Host header: name the host:port clients use in --allowed-host');

  const open = await codecServer(['--insecure-no-auth', '--allowed-host', 'codec.internal:8888'], keyEnv);
  try {
    expect(open.line).toContain('NO AUTH: anyone who reaches it can decrypt');
    const encoded = await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"open"') }]);
    expect((await post(`${open.url}/decode`, toJson(encoded))).status).toBe(200);
    expect((await rawPost(open.url, 'codec.internal:8888', toJson(encoded))).status).toBe(200);
    expect((await rawPost(open.url, 'other.internal:8888', toJson(encoded))).status).toBe(421);
  } finally {
    open.stop();
  }
});

test('the CLI: refuses a secret-marked run without keys (exit 2), runs it with keys, and never prints the secret', async () => {
  const secret = `MARKER-SECRET-${randomUUID()}`;
  const dir = mkdtempSync(join(tmpdir(), 'verdict-codec-'));
  const file = join(dir, 'suite.yaml');
  const ctrf = join(dir, 'report.json');
  writeFileSync(file, stringify(suite('codec-cli', testNamespace(), [sim('leaky', 'deployment', { 'exit-code': '1', stdout: `pw=${secret}`, message: `bad password ${secret}` }, { env: [{ name: 'PW', value: secret, secret: true }] })])));
  const keys = { VERDICT_CODEC_KEYS: `test-key-1:${keyB64}`, VERDICT_CODEC_KEY_FILE: '' };

  const refused = await verdict(['run', file], { VERDICT_CODEC_KEYS: '', VERDICT_CODEC_KEY_FILE: '' });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('validators.0.env.0 (PW): marked secret, but this client has no payload codec');

  const taskQueue = `verdict-codec-${randomUUID()}`;
  const vw = await createVerdictWorker({ temporalAddress: address(), taskQueue, kubeconfig: process.env.KUBECONFIG, shutdownGraceTimeMs: 5_000, codec, policy: sandboxPolicy });
  let run;
  try {
    run = await vw.worker.runUntil(verdict(['run', file, '--task-queue', taskQueue, '--ctrf', ctrf], keys));
  } finally {
    vw.watches.stop();
  }
  expect(run.code).toBe(1);
  expect(run.stdout).toContain(`bad password ${redactedMark}`);
  const written = readFileSync(ctrf, 'utf8');
  const runId = (JSON.parse(written) as { results: { extra: { runId: string } } }).results.extra.runId;
  const report = await verdict(['report', runId, '--format', 'ctrf'], keys);
  expect(report.code).toBe(0);
  expect(report.stdout).toContain(`pw=${redactedMark}`);
  const unkeyed = await verdict(['report', runId], { VERDICT_CODEC_KEYS: '', VERDICT_CODEC_KEY_FILE: '' });
  expect(unkeyed.code).toBe(2);
  expect(unkeyed.stderr).toContain("this run's data is encrypted by a payload codec and no key is configured here: VERDICT_CODEC_KEYS=");
  for (const out of [refused.stdout, refused.stderr, run.stdout, run.stderr, written, report.stdout, unkeyed.stdout, unkeyed.stderr]) expect(out).not.toContain(secret);
});

test('failure messages and stack traces are encrypted too: a raw history holds neither, a key holder reads both', async () => {
  const marker = `MARKER_FAILURE_${randomUUID().replace(/-/g, '')}`;
  const runId = `codec-failure-${randomUUID()}`;
  const taskQueue = `verdict-codec-${randomUUID()}`;
  // An unknown field: the workflow fails at once, its message naming the field, so the marker.
  const input = { suite: suite('codec-failure', testNamespace(), [sim('never', 'deployment', {})]), [marker]: true };
  const keyed = await connect({ address: address(), codec });
  const vw = await createVerdictWorker({ temporalAddress: address(), taskQueue, kubeconfig: process.env.KUBECONFIG, shutdownGraceTimeMs: 5_000, codec });
  let err: unknown;
  try {
    // Straight through the SDK: startRun would refuse this input before starting anything.
    const handle = await keyed.workflow.start('runSuite', { taskQueue, workflowId: runId, args: [input] });
    err = await vw.worker.runUntil(handle.result().then(() => undefined, (e: unknown) => e));
  } finally {
    vw.watches.stop();
    await keyed.connection.close();
  }
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe(failureTypes.invalidSuite);
  expect(cause!.message).toContain(`Unrecognized key: "${marker}"`);
  expect(cause!.stack).toContain('workflows/run-suite');

  await withClient(async (clear) => {
    const history = await runHandle(clear, runId).fetchHistory();
    expect(Buffer.from(temporal.api.history.v1.History.encode(history).finish()).includes(marker)).toBe(false);
    const failed = history.events!.find((e) => e.workflowExecutionFailedEventAttributes)!.workflowExecutionFailedEventAttributes!.failure!;
    expect({ message: failed.message, stackTrace: failed.stackTrace, type: failed.applicationFailureInfo?.type }).toEqual({ message: 'Encoded failure', stackTrace: '', type: failureTypes.invalidSuite });
    expect(text(failed.encodedAttributes?.metadata?.encoding)).toBe(encryptedEncoding);
    // Without the key, the failure's words cannot be read.
    await expect(runHandle(clear, runId).result()).rejects.toThrow();
  });
});
