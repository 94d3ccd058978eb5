// Secret-marked env values reach validators through the run's Secret: its keys, its object, the
// Job's references to it, and the permissions a run with secrets asks for.
import fc from 'fast-check';
import { buildJob, specHashAnnotation } from '../../src/core/job';
import { secretEnvName, runKey } from '../../src/core/names';
import { permissionsFor, requiredPermissions } from '../../src/core/permissions';
import { buildSecretEnvSecret } from '../../src/core/rbac';
import { hasSecretEnv, secretEnvData, secretEnvKey } from '../../src/core/secrets';
import { suiteSchema, validatorSchema } from '../../src/core/spec';

const validKey = (k: string) => /^[-._a-zA-Z0-9]+$/.test(k) && k.length <= 253 && k !== '.' && k !== '..';
const validatorName = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);

const db = validatorSchema.parse({
  name: 'db',
  phase: 'deployment',
  image: 'example.com/db-check:1',
  env: [
    { name: 'DB_PASSWORD', value: 'hunter2', secret: true },
    { name: 'DB_HOST', value: 'db.internal' },
    { name: 'DB_PIN', value: 'ünïcode ✓', secret: true },
  ],
});
const plain = validatorSchema.parse({ name: 'plain', phase: 'readiness', image: 'example.com/p:1', env: [{ name: 'DB_PASSWORD', value: 'not secret' }] });
const ctx = { runId: 'nightly-1', namespace: 'verdict', jobName: 'verdict-abc-db', serviceAccount: 'sa', secret: secretEnvName({ runId: 'nightly-1' }) };

describe('secretEnvKey', () => {
  test('is "<validator>.<NAME>" for an ordinary variable name', () => {
    expect(secretEnvKey('db', 'DB_PASSWORD')).toBe('db.DB_PASSWORD');
  });

  test('is always a valid Secret key, whatever the variable name', () => {
    fc.assert(fc.property(validatorName, fc.string({ minLength: 1, maxLength: 400 }), (v, name) => validKey(secretEnvKey(v, name))));
    expect(validKey(secretEnvKey('db', 'weird name=ü'))).toBe(true);
    expect(validKey(secretEnvKey('a'.repeat(63), 'X'.repeat(300)))).toBe(true);
  });

  test('distinct (validator, name) pairs never share a key', () => {
    fc.assert(
      fc.property(validatorName, validatorName, fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (v1, v2, n1, n2) => {
        fc.pre(v1 !== v2 || n1 !== n2);
        return secretEnvKey(v1, n1) !== secretEnvKey(v2, n2);
      }),
    );
    // Names that clean up alike, and validators whose name is a prefix of another's, stay apart.
    expect(secretEnvKey('db', 'A B')).not.toBe(secretEnvKey('db', 'A:B'));
    expect(secretEnvKey('db', 'a.B')).not.toBe(secretEnvKey('db-a', 'B'));
  });
});

test('secretEnvData holds every secret-marked value of the suite by key, and nothing else', () => {
  const suite = suiteSchema.parse({ name: 's', validators: [plain, db] });
  expect(secretEnvData(suite)).toEqual({ 'db.DB_PASSWORD': 'hunter2', 'db.DB_PIN': 'ünïcode ✓' });
  expect(secretEnvData(suiteSchema.parse({ name: 's', validators: [plain] }))).toEqual({});
  expect([hasSecretEnv(db.env), hasSecretEnv(plain.env)]).toEqual([true, false]);
  // A name repeated in one validator keeps its last value, as the pod's env would.
  const twice = { ...db, env: [{ name: 'T', value: 'first', secret: true }, { name: 'T', value: 'last', secret: true }] };
  expect(secretEnvData({ validators: [twice] })).toEqual({ 'db.T': 'last' });
});

test('the Secret: per run, ours, immutable, Opaque, values base64 of their UTF-8', () => {
  const secret = buildSecretEnvSecret({ runId: 'nightly-1', namespace: 'verdict' }, secretEnvData({ validators: [db] }));
  expect(secret).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', immutable: true });
  expect(secret.metadata).toEqual({
    name: `verdict-${runKey({ runId: 'nightly-1' })}-secret-env`,
    namespace: 'verdict',
    labels: { 'app.kubernetes.io/managed-by': 'verdict', 'app.kubernetes.io/part-of': 'verdict', 'verdict.dev/run': runKey({ runId: 'nightly-1' }) },
    annotations: { 'verdict.dev/run-id': 'nightly-1' },
  });
  const decoded = Object.fromEntries(Object.entries(secret.data!).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  expect(decoded).toEqual({ 'db.DB_PASSWORD': 'hunter2', 'db.DB_PIN': 'ünïcode ✓' });
  expect(secretEnvName({ runId: 'nightly-1' })).not.toBe(secretEnvName({ runId: 'nightly-2' }));
});

describe('the Job', () => {
  const env = () => buildJob(db, ctx).spec!.template.spec!.containers[0].env!;

  test('references each secret value in the run Secret; plain values stay plain', () => {
    expect(env()).toContainEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: ctx.secret, key: 'db.DB_PASSWORD' } } });
    expect(env()).toContainEqual({ name: 'DB_PIN', valueFrom: { secretKeyRef: { name: ctx.secret, key: 'db.DB_PIN' } } });
    expect(env()).toContainEqual({ name: 'DB_HOST', value: 'db.internal' });
    const json = JSON.stringify(buildJob(db, ctx));
    expect(json).not.toContain('hunter2');
    expect(json).not.toContain('ünïcode');
  });

  test('keeps a deterministic spec hash, which a new secret value does not change (the Secret is per run)', () => {
    const hash = (v: typeof db) => buildJob(v, ctx).metadata!.annotations![specHashAnnotation];
    expect(hash(db)).toBe(hash(db));
    const other = { ...db, env: db.env.map((e) => ('value' in e && e.secret ? { ...e, value: 'changed' } : e)) };
    expect(hash(other)).toBe(hash(db));
    expect(hash({ ...db, env: [...db.env, { name: 'MORE', value: 'x', secret: true }] })).not.toBe(hash(db));
  });

  test('is never built with a secret value and no Secret to hold it', () => {
    expect(() => buildJob(db, { ...ctx, secret: undefined })).toThrow('validator db: env DB_PASSWORD is marked secret, but the Job context names no Secret');
    expect(() => buildJob(plain, { ...ctx, secret: undefined })).not.toThrow();
  });
});

test('the pre-check asks for the Secret permissions only for a suite with secret values', () => {
  const secrets = requiredPermissions.filter((p) => p.resource === 'secrets');
  expect(secrets).toEqual([expect.objectContaining({ group: '', verbs: ['create', 'delete'], onlyWithSecrets: true })]);
  const forRuns = requiredPermissions.filter((p) => !p.sweepOnly);
  expect(permissionsFor({ hasSecrets: true })).toEqual(forRuns);
  expect(permissionsFor({ hasSecrets: false })).toEqual(forRuns.filter((p) => p.resource !== 'secrets'));
  expect(permissionsFor({})).toEqual(permissionsFor({ hasSecrets: false }));
});
