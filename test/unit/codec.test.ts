import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmCodec, CodecConfigError, CodecKeyError, codecFromEnv, encryptedEncoding, keyIdMetadata, keyRing, keyRingFromEnv } from '../../src/codec';
import { fromJson, payloadsJson, toJson } from '../../src/codec/json';
import { buildJob } from '../../src/core/job';
import { redact, redactedMark, redactResult, secretPaths, secretValues } from '../../src/core/secrets';
import { suiteSchema, validatorSchema } from '../../src/core/spec';

const b64key = () => randomBytes(32).toString('base64');
const ring = (...ids: string[]) => ids.map((id) => ({ source: 'test', id, key: b64key() }));
const text = (b?: Uint8Array | null) => Buffer.from(b ?? []).toString('utf8');
const marker = 'MARKER-correct-horse-battery-staple';
const payload = (v: unknown): Payload => defaultPayloadConverter.toPayload(v);

describe('AES-GCM codec', () => {
  test('round trip: metadata and data come back exactly; nothing of the value is left in clear', async () => {
    const codec = new AesGcmCodec(keyRing(ring('k1')));
    const original = [payload({ token: marker }), payload(null), payload(new Uint8Array([1, 2, 3]))];
    const encoded = await codec.encode(original);
    for (const p of encoded) {
      expect(text(p.metadata![encodingKey])).toBe(encryptedEncoding);
      expect(text(p.metadata![keyIdMetadata])).toBe('k1');
      expect(Buffer.from(p.data!).includes(marker)).toBe(false);
      expect(Buffer.from(p.data!).includes('json/plain')).toBe(false);
    }
    const decoded = await codec.decode(encoded);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ token: marker }, null, new Uint8Array([1, 2, 3])]);
  });

  test('a fresh IV per payload: the same value encrypts differently each time', async () => {
    const codec = new AesGcmCodec(keyRing(ring('k1')));
    const [a, b] = await codec.encode([payload(marker), payload(marker)]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  test('payloads that are not encrypted pass through decode untouched (histories from before the codec)', async () => {
    const codec = new AesGcmCodec(keyRing(ring('k1')));
    const plain = payload({ a: 1 });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  test('rotation: a new primary encrypts, payloads under the old key still decode', async () => {
    const [old, fresh] = ring('2025-01', '2026-06');
    const before = new AesGcmCodec(keyRing([old]));
    const oldPayloads = await before.encode([payload('from before')]);
    const after = new AesGcmCodec(keyRing([old, fresh], '2026-06'));
    const newPayloads = await after.encode([payload('from after')]);
    expect(text(newPayloads[0].metadata![keyIdMetadata])).toBe('2026-06');
    const decoded = await after.decode([...oldPayloads, ...newPayloads]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['from before', 'from after']);
  });

  test('a payload under a key the ring lacks: the error names the key ID and where keys come from', async () => {
    const encoded = await new AesGcmCodec(keyRing(ring('retired'))).encode([payload(marker)]);
    const codec = new AesGcmCodec(keyRing(ring('current')));
    await expect(codec.decode(encoded)).rejects.toThrow(CodecKeyError);
    await expect(codec.decode(encoded)).rejects.toThrow(/key ID "retired", which is not configured \(have: current\).*VERDICT_CODEC_KEYS/);
  });

  test('the same key ID with other key material fails authentication, naming the key', async () => {
    const encoded = await new AesGcmCodec(keyRing(ring('k1'))).encode([payload(marker)]);
    await expect(new AesGcmCodec(keyRing(ring('k1'))).decode(encoded)).rejects.toThrow(/key ID "k1" failed authentication/);
  });

  test('tampering is detected: a flipped ciphertext bit, a cut payload, a relabelled key ID', async () => {
    const [a] = ring('a');
    // "b" holds the same key material as "a": only the authenticated key ID differs.
    const codec = new AesGcmCodec(keyRing([a, { ...a, id: 'b' }]));
    const [p] = await codec.encode([payload({ verdict: 'passed' })]);
    const flipped = Buffer.from(p.data!);
    flipped[20] ^= 0x01;
    await expect(codec.decode([{ ...p, data: flipped }])).rejects.toThrow(/failed authentication: it was altered/);
    await expect(codec.decode([{ ...p, data: Buffer.from(p.data!).subarray(0, 20) }])).rejects.toThrow(/too short|failed authentication/);
    await expect(codec.decode([{ ...p, metadata: { ...p.metadata, [keyIdMetadata]: Buffer.from('b') } }])).rejects.toThrow(/key ID "b" failed authentication/);
  });
});

const encodingKey = 'encoding';

describe('codec keys', () => {
  test('from VERDICT_CODEC_KEYS: the first is primary unless VERDICT_CODEC_KEY_ID names another', () => {
    const [k1, k2] = [b64key(), b64key()];
    expect(keyRingFromEnv({ VERDICT_CODEC_KEYS: `k1:${k1}, k2:${k2}` })!.primary).toBe('k1');
    const r = keyRingFromEnv({ VERDICT_CODEC_KEYS: `k1:${k1},k2:${k2}`, VERDICT_CODEC_KEY_ID: 'k2' })!;
    expect(r.primary).toBe('k2');
    expect(r.keys.get('k1')!.equals(Buffer.from(k1, 'base64'))).toBe(true);
  });

  test('no keys configured: no codec', () => {
    expect(codecFromEnv({})).toBeUndefined();
  });

  test('from a key file (id:key lines, comments) and from a directory of <id>.key files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-keys-'));
    writeFileSync(join(dir, 'keys.txt'), `# rotated 2026-06\nnew:${b64key()}\n\nold:${b64key()}\n`);
    expect([...keyRingFromEnv({ VERDICT_CODEC_KEY_FILE: join(dir, 'keys.txt') })!.keys.keys()]).toEqual(['new', 'old']);
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'd', 'a.key'), `${b64key()}\n`);
    writeFileSync(join(dir, 'd', 'b.key'), b64key());
    writeFileSync(join(dir, 'd', 'README'), 'ignored');
    const r = keyRingFromEnv({ VERDICT_CODEC_KEY_FILE: join(dir, 'd'), VERDICT_CODEC_KEY_ID: 'b' })!;
    expect([...r.keys.keys()]).toEqual(['a', 'b']);
    expect(r.primary).toBe('b');
  });

  test('every bad key is reported at once, by source and ID, never echoing key material', () => {
    const short = Buffer.from('sixteen byte key').toString('base64');
    const good = b64key();
    let message = '';
    try {
      keyRingFromEnv({ VERDICT_CODEC_KEYS: `ok:${good},short:${short},bad id:${good},ok:${b64key()},nb:not*base64`, VERDICT_CODEC_KEY_ID: 'missing' });
    } catch (err) {
      expect(err).toBeInstanceOf(CodecConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('VERDICT_CODEC_KEYS entry 2: key "short" must decode to exactly 32 bytes');
    expect(message).toContain('VERDICT_CODEC_KEYS entry 3: key ID "bad id" key IDs are 1-64 letters');
    expect(message).toContain('VERDICT_CODEC_KEYS entry 4: key ID "ok" is defined twice');
    expect(message).toContain('VERDICT_CODEC_KEYS entry 5: key "nb" must be base64');
    expect(message).toContain('VERDICT_CODEC_KEY_ID=missing names no configured key');
    expect(message).not.toContain(short);
    expect(message).not.toContain(good);
  });

  test('malformed entries and missing files are clear errors', () => {
    expect(() => keyRingFromEnv({ VERDICT_CODEC_KEYS: 'justakey' })).toThrow('VERDICT_CODEC_KEYS: entry 1 must be "id:base64key"');
    expect(() => keyRingFromEnv({ VERDICT_CODEC_KEY_FILE: '/nonexistent/keys' })).toThrow('VERDICT_CODEC_KEY_FILE=/nonexistent/keys: no such file or directory');
    expect(() => keyRingFromEnv({ VERDICT_CODEC_KEY_ID: 'k1' })).toThrow('VERDICT_CODEC_KEY_ID is set but no keys are');
  });
});

describe('codec JSON (the remote codec wire form)', () => {
  test('payloads survive the JSON form byte for byte', async () => {
    const [p] = await new AesGcmCodec(keyRing(ring('k1'))).encode([payload(marker)]);
    const json = JSON.parse(JSON.stringify(toJson([p]))) as unknown;
    const [back] = fromJson(payloadsJson.parse(json));
    expect(Buffer.from(back.data!).equals(Buffer.from(p.data!))).toBe(true);
    expect(text(back.metadata![keyIdMetadata])).toBe('k1');
  });

  test('a malformed body names the field', () => {
    const r = payloadsJson.safeParse({ payloads: [{ metadata: { encoding: 'not base64!' } }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path.join('.')).toBe('payloads.0.metadata.encoding');
  });
});

describe('secret-marked env values', () => {
  const v = validatorSchema.parse({
    name: 'db',
    phase: 'deployment',
    image: 'example.com/db-check:1',
    env: [
      { name: 'DB_PASSWORD', value: 'hunter2-long', secret: true },
      { name: 'DB_PIN', value: 'hunter2', secret: true },
      { name: 'DB_HOST', value: 'db.internal' },
      { name: 'TOKEN', secretKeyRef: { name: 'db', key: 'token' } },
    ],
  });

  test('only literal values can be marked secret; references are secret already', () => {
    expect(validatorSchema.safeParse({ ...v, env: [{ name: 'X', secretKeyRef: { name: 's', key: 'k' }, secret: true }] }).success).toBe(false);
  });

  test('are found by field path and name', () => {
    const suite = suiteSchema.parse({ name: 's', validators: [validatorSchema.parse({ ...v, name: 'plain', env: [] }), v] });
    expect(secretPaths(suite)).toEqual(['validators.1.env.0 (DB_PASSWORD)', 'validators.1.env.1 (DB_PIN)']);
  });

  test('are redacted longest first from text, messages, stdout and sub-tests', () => {
    const secrets = secretValues(v.env);
    expect(secrets).toEqual(['hunter2-long', 'hunter2']);
    expect(redact('pw=hunter2-long pin=hunter2 host=db.internal', secrets)).toBe(`pw=${redactedMark} pin=${redactedMark} host=db.internal`);
    const r = redactResult(
      { name: 'db', phase: 'deployment', status: 'failed', exitCode: 1, message: 'login hunter2 refused', stdout: ['a', 'b hunter2-long'], durationMs: 1, tests: [{ name: 'T', status: 'failed', durationMs: 1, output: ['hunter2'] }] },
      secrets,
    );
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(r.message).toBe(`login ${redactedMark} refused`);
  });

  test('the Job references the run Secret: neither the value nor the marker reaches the pod spec', () => {
    const job = buildJob(v, { runId: 'r', namespace: 'ns', jobName: 'j', serviceAccount: 'sa', secret: 'verdict-r-secret-env' });
    expect(job.spec!.template.spec!.containers[0].env).toContainEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'verdict-r-secret-env', key: 'db.DB_PASSWORD' } } });
    expect(JSON.stringify(job)).not.toContain('hunter2');
    expect(JSON.stringify(job)).not.toContain('"secret"');
  });
});
