// The worker's payload guard: a run input stored in clear with secret-marked values reaches the
// workflow as their field paths alone; anything encrypted, or without such values, passes as it was.
import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { decode, encode } from '@temporalio/common/lib/internal-non-workflow';
import { AesGcmCodec, SecretInClearGuard, encryptedEncoding, keyRing, workerDataConverter } from '../../src/codec';
import { secretPathsInRawInput, secretsInClearField, secretsInClearProblem } from '../../src/core/secrets';

const codec = new AesGcmCodec(keyRing([{ source: 'test', id: 'k1', key: randomBytes(32).toString('base64') }]));
const plain = (json: string): Payload => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(json) });
const text = (p: Payload) => Buffer.from(p.data ?? []).toString('utf8');
const input = (env: unknown[]) => ({ suite: { name: 's', namespace: 'verdict', validators: [{ name: 'a', phase: 'deployment', image: 'i', env: [] }, { name: 'b', phase: 'deployment', image: 'i', env }] } });
const leaky = input([{ name: 'NOTE', value: 'x' }, { name: 'DB_PASSWORD', value: 'hunter2', secret: true }]);
const workflow = { type: 'workflow', namespace: 'default', workflowId: 'run-1' } as const;

test('a clear input with a secret-marked value becomes its field paths, without the value', async () => {
  const [out] = await new SecretInClearGuard().decode([plain(JSON.stringify(leaky))], workflow);
  expect(JSON.parse(text(out))).toEqual({ [secretsInClearField]: ['suite.validators.1.env.1 (DB_PASSWORD)'] });
  expect(text(out)).not.toContain('hunter2');
  // However it is spelled in JSON: escapes, spaces.
  const escaped = JSON.stringify(leaky).replace('"secret":true', '"\\u0073ecret" : true');
  const [again] = await new SecretInClearGuard().decode([plain(escaped)], workflow);
  expect(text(again)).not.toContain('hunter2');
});

test("a clear input with a suite's own webhook URL becomes its field path, without the URL", async () => {
  const hooked = { suite: { ...input([]).suite, notify: [{ target: 'team' }, { url: 'https://hooks.slack.com/services/T/B/token' }] } };
  const [out] = await new SecretInClearGuard().decode([plain(JSON.stringify(hooked))], workflow);
  expect(JSON.parse(text(out))).toEqual({ [secretsInClearField]: ['suite.notify.1.url (a webhook URL is always secret)'] });
  expect(text(out)).not.toContain('token');
});

test('passes what it must not touch: encrypted payloads, inputs without secret values, activity payloads, non-JSON', async () => {
  const guard = new SecretInClearGuard();
  const [encrypted] = await codec.encode([plain(JSON.stringify(leaky))]);
  const unmarked = plain(JSON.stringify(input([{ name: 'DB_PASSWORD', value: 'hunter2', secret: false }])));
  const notJson = plain('{"secret": tru');
  const all = [encrypted, unmarked, notJson];
  expect(await guard.decode(all, workflow)).toEqual(all);
  const activityArg = plain(JSON.stringify(leaky));
  expect(await guard.decode([activityArg], { type: 'activity', namespace: 'default', isLocal: false })).toEqual([activityArg]);
  expect(await guard.encode(all)).toBe(all);
});

test("in the worker's data converter the guard decodes first: it sees what Temporal stored", async () => {
  const codecs = workerDataConverter(codec).payloadCodecs!;
  // Encrypted by a client with the keys: decrypted, the value intact for the run's Secret.
  const stored = await encode(codecs, [plain(JSON.stringify(leaky))]);
  expect(stored[0].metadata!.encoding).toEqual(Buffer.from(encryptedEncoding));
  expect(text((await decode(codecs, stored))[0])).toContain('hunter2');
  // Stored in clear (the Web UI, `temporal workflow start`): refused, with or without keys.
  for (const c of [codecs, workerDataConverter().payloadCodecs!]) {
    const [seen] = await decode(c, [plain(JSON.stringify(leaky))]);
    expect(secretsInClearProblem(JSON.parse(text(seen)))).toMatch(/^suite\.validators\.1\.env\.1 \(DB_PASSWORD\): marked secret, but the run's input reached Temporal unencrypted/);
  }
  expect(workerDataConverter(codec).failureConverterPath).toMatch(/failure-converter/);
  expect(workerDataConverter().failureConverterPath).toBeUndefined();
});

test('secretPathsInRawInput reads any shape without throwing; secretsInClearProblem says rotate, never the value', () => {
  for (const odd of [null, 3, 'x', [], { suite: 1 }, { suite: { validators: {} } }, { suite: { validators: [null, { env: 'x' }, { env: [null, 1] }] } }]) expect(secretPathsInRawInput(odd)).toEqual([]);
  expect(secretPathsInRawInput(input([{ value: 'v', secret: true }]))).toEqual(['suite.validators.1.env.0']);
  expect(secretPathsInRawInput(input([{ name: 'A', secretKeyRef: { name: 'x', key: 'y' }, secret: true }]))).toEqual([]);
  const problem = secretsInClearProblem({ [secretsInClearField]: ['suite.validators.0.env.0 (PW)'] })!;
  expect(problem).toContain('now stored in Temporal history in clear: rotate it');
  expect(problem).toContain('Nothing was created');
  expect(secretsInClearProblem(leaky)).toBeUndefined();
  expect(secretsInClearProblem({ [secretsInClearField]: [] })).toBeUndefined();
});
