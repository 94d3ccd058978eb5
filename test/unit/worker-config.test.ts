// The worker's configuration and the Temporal connection profiles: flags over environment
// variables, every problem at once, TLS pairs, API key versus mTLS, unreadable files named.
import { problems } from './helpers/settings-problems';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkerConfig, type KubeDefaults } from '../../worker/config';
import { connectionOptions, connectionSettingsFromEnv } from '../../temporal-config/connection';
import { jsonLogLine } from '../../src/cli/logging';
import { defaultPolicy } from '../../src/core/policy';

const dir = mkdtempSync(join(tmpdir(), 'verdict-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const cert = file('client.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const key = file('client.key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n');
const kubeconfig = file('kubeconfig', 'apiVersion: v1\nkind: Config\n');
const inCluster: KubeDefaults = { homeConfig: false, inCluster: true };
const nowhere: KubeDefaults = { homeConfig: false, inCluster: false };


test('defaults: the local profile, the default cluster on the verdict task queue, metrics on 9464, health on 8080, JSON logs', () => {
  expect(loadWorkerConfig({}, {}, inCluster)).toEqual({
    address: '127.0.0.1:7233',
    namespace: 'default',
    cluster: 'default',
    taskQueue: 'verdict',
    maxActivities: 1000,
    maxWorkflowTasks: 40,
    maxCachedWorkflows: 250,
    listenAddress: '0.0.0.0',
    metricsPort: 9464,
    healthPort: 8080,
    shutdownGraceSeconds: 30,
    sweepIntervalSeconds: 3600,
    logFormat: 'json',
    logLevel: 'INFO',
    policy: defaultPolicy,
    notifications: { targets: {} },
  });
});

test('flags win over environment variables, which win over defaults; empty values count as unset', () => {
  const env = { TEMPORAL_ADDRESS: 'temporal.prod:7233', TEMPORAL_NAMESPACE: 'ops', VERDICT_TASK_QUEUE: 'from-env', VERDICT_METRICS_PORT: '9100', VERDICT_LOG_LEVEL: 'debug', VERDICT_HEALTH_PORT: '' };
  const config = loadWorkerConfig({ taskQueue: 'from-flag', metricsPort: '0', kubeconfig }, env, nowhere);
  expect(config).toMatchObject({ address: 'temporal.prod:7233', namespace: 'ops', taskQueue: 'from-flag', metricsPort: 0, healthPort: 8080, logLevel: 'DEBUG', kubeconfig });
});

test("a named cluster's worker polls that cluster's task queue unless told another", () => {
  expect(loadWorkerConfig({}, { VERDICT_CLUSTER: 'gpu-a' }, inCluster)).toMatchObject({ cluster: 'gpu-a', taskQueue: 'verdict-gpu-a' });
  expect(loadWorkerConfig({ cluster: 'gpu-a', taskQueue: 'verdict' }, {}, inCluster)).toMatchObject({ cluster: 'gpu-a', taskQueue: 'verdict' });
});

test('every bad setting in one error, each naming its field, flag and variable', () => {
  const env = { TEMPORAL_ADDRESS: 'no-port', VERDICT_MAX_CONCURRENT_ACTIVITIES: '0', VERDICT_LOG_FORMAT: 'xml', KUBECONFIG: join(dir, 'missing-kubeconfig') };
  const lines = problems(() =>
    loadWorkerConfig({ metricsPort: '70000', shutdownGraceSeconds: '0', logLevel: 'loud', maxWorkflowTasks: 'many', listenAddress: 'everywhere', tlsCert: cert }, env, inCluster),
  );
  expect(lines).toEqual([
    'address (--address, TEMPORAL_ADDRESS) = "no-port": must be host:port, e.g. 127.0.0.1:7233 or my-ns.a1b2c.tmprl.cloud:7233',
    `kubeconfig (--kubeconfig, KUBECONFIG) = ${JSON.stringify(join(dir, 'missing-kubeconfig'))}: no such file`,
    'maxActivities (--max-activities, VERDICT_MAX_CONCURRENT_ACTIVITIES) = "0": must be at least 1',
    'maxWorkflowTasks (--max-workflow-tasks, VERDICT_MAX_CONCURRENT_WORKFLOW_TASKS) = "many": must be a whole number',
    'listenAddress (--listen-address, VERDICT_LISTEN_ADDRESS) = "everywhere": must be an IP address to listen on, e.g. 0.0.0.0 or 127.0.0.1',
    'metricsPort (--metrics-port, VERDICT_METRICS_PORT) = "70000": must be a port number (0 turns it off)',
    'shutdownGraceSeconds (--shutdown-grace-seconds, VERDICT_SHUTDOWN_GRACE_SECONDS) = "0": must be at least 1 second: in-flight activities need time to finish',
    'logFormat (--log-format, VERDICT_LOG_FORMAT) = "xml": must be json or text',
    'logLevel (--log-level, VERDICT_LOG_LEVEL) = "loud": must be one of TRACE, DEBUG, INFO, WARN, ERROR',
    // The combination rules run too, although fields are already invalid.
    "tlsKey (--tls-key, TEMPORAL_TLS_KEY) = unset: mTLS needs the client certificate's private key too (--tls-key)",
  ]);
});

test('metrics and health on one port is an error, and the message says what was invalid', () => {
  try {
    loadWorkerConfig({ metricsPort: '9000', healthPort: '9000' }, {}, inCluster);
    throw new Error('expected a SettingsError');
  } catch (err) {
    expect((err as Error).message).toBe('invalid worker configuration:\n  healthPort (--health-port, VERDICT_HEALTH_PORT) = "9000": is the metrics port too: give them different ports');
  }
});

test('without a kubeconfig, ~/.kube/config or a pod service account, the worker refuses to start', () => {
  expect(problems(() => loadWorkerConfig({}, {}, nowhere))).toEqual([
    'kubeconfig (--kubeconfig, KUBECONFIG) = unset: no Kubernetes credentials: name a kubeconfig, put one at ~/.kube/config, or run in a pod with a service account',
  ]);
  expect(loadWorkerConfig({}, {}, { homeConfig: true, inCluster: false }).kubeconfig).toBeUndefined();
  expect(problems(() => loadWorkerConfig({ kubeconfig: dir }, {}, inCluster))).toEqual([`kubeconfig (--kubeconfig, KUBECONFIG) = ${JSON.stringify(dir)}: is not a regular file`]);
});

describe('connection profiles', () => {
  test('local: plain gRPC, no TLS, no API key', () => {
    expect(connectionOptions({ address: '127.0.0.1:7233' })).toEqual({ address: '127.0.0.1:7233', namespace: 'default', profile: 'local' });
  });

  test('mTLS: the certificate pair, the CA and the server name are read into the TLS options', () => {
    const options = connectionOptions({ address: 'temporal.internal:7233', tlsCert: cert, tlsKey: key, tlsCa: ca, tlsServerName: 'temporal' });
    expect(options.profile).toBe('mtls');
    expect(options.apiKey).toBeUndefined();
    expect(options.tls?.serverNameOverride).toBe('temporal');
    expect(options.tls?.clientCertPair?.crt.toString()).toContain('MIIB');
    expect(options.tls?.clientCertPair?.key.toString()).toContain('MIIE');
    expect(options.tls?.serverRootCACertificate?.toString()).toContain('MIIC');
  });

  test('Temporal Cloud: an API key turns TLS on with the system roots', () => {
    const options = connectionOptions(connectionSettingsFromEnv({ TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233', TEMPORAL_NAMESPACE: 'prod.a1b2c', TEMPORAL_API_KEY: 'secret-key' }));
    expect(options).toEqual({ address: 'us-east-1.aws.api.temporal.io:7233', namespace: 'prod.a1b2c', profile: 'api-key', tls: {}, apiKey: 'secret-key' });
  });

  test('server TLS only: --tls, or TEMPORAL_TLS=true', () => {
    expect(connectionOptions({ address: 'a:1', tls: true })).toMatchObject({ profile: 'tls', tls: {} });
    expect(connectionOptions(connectionSettingsFromEnv({ TEMPORAL_TLS: 'true' }, { address: 'a:1' }))).toMatchObject({ profile: 'tls', tls: {} });
    expect(connectionOptions(connectionSettingsFromEnv({ TEMPORAL_TLS: 'false' }, { address: 'a:1' }))).toMatchObject({ profile: 'local' });
  });

  test('a certificate needs its key and the reverse', () => {
    expect(problems(() => connectionOptions({ address: 'a:1', tlsCert: cert }))).toEqual([
      "tlsKey (--tls-key, TEMPORAL_TLS_KEY) = unset: mTLS needs the client certificate's private key too (--tls-key)",
    ]);
    expect(problems(() => loadWorkerConfig({ tlsKey: key }, {}, inCluster))).toEqual(['tlsCert (--tls-cert, TEMPORAL_TLS_CERT) = unset: mTLS needs the client certificate too (--tls-cert)']);
  });

  test('an API key and a client certificate exclude each other, and the key never appears in the message', () => {
    const lines = problems(() => loadWorkerConfig({ apiKey: 'top-secret' }, { TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key }, inCluster));
    expect(lines).toEqual(['apiKey (--api-key, TEMPORAL_API_KEY) = (hidden): use either an API key (Temporal Cloud) or an mTLS client certificate, not both']);
    expect(lines.join('\n')).not.toContain('top-secret');
  });

  test('TLS turned off explicitly conflicts with TLS settings', () => {
    expect(problems(() => connectionOptions(connectionSettingsFromEnv({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA: ca }, { address: 'a:1' })))).toEqual([
      'tls (--tls, TEMPORAL_TLS) = "false": TLS is off, but --tls-ca need(s) it: remove them or turn TLS on',
    ]);
    expect(problems(() => connectionOptions(connectionSettingsFromEnv({ TEMPORAL_TLS: 'maybe' }, { address: 'a:1' })))).toEqual(['tls (--tls, TEMPORAL_TLS) = "maybe": must be true or false']);
  });

  test('missing, unreadable and wrong certificate files are each named, all at once', () => {
    const missing = join(dir, 'nope.pem');
    const lines = problems(() => connectionOptions({ address: 'a:1', tlsCert: key, tlsKey: dir, tlsCa: missing }));
    expect(lines).toEqual([
      `tlsCert (--tls-cert, TEMPORAL_TLS_CERT) = ${JSON.stringify(key)}: does not contain a PEM certificate (-----BEGIN ...CERTIFICATE-----)`,
      `tlsKey (--tls-key, TEMPORAL_TLS_KEY) = ${JSON.stringify(dir)}: is not a regular file`,
      `tlsCa (--tls-ca, TEMPORAL_TLS_CA) = ${JSON.stringify(missing)}: no such file`,
    ]);
  });

  test('the address is required for a client connection and checked for a port', () => {
    expect(problems(() => connectionOptions(connectionSettingsFromEnv({})))).toEqual(['address (--address, TEMPORAL_ADDRESS) = unset: is required']);
    expect(connectionOptions({ address: '[::1]:7233' }).address).toBe('[::1]:7233');
  });
});

describe('JSON log lines', () => {
  const entry = (meta?: Record<string, unknown>) => ({ level: 'INFO' as const, message: 'hello', timestampNanos: 1_700_000_000_123_456_789n, meta });

  test('time, level and message first, then the metadata; metadata cannot replace them', () => {
    expect(jsonLogLine(entry({ taskQueue: 'verdict', message: 'spoofed', level: 'ERROR' }))).toBe('{"time":"2023-11-14T22:13:20.123Z","level":"INFO","message":"hello","taskQueue":"verdict"}');
  });

  test('bigints and errors are written, circular metadata does not lose the line', () => {
    const line = JSON.parse(jsonLogLine(entry({ count: 5n, error: new Error('boom') }))) as { count: string; error: { message: string; stack: string } };
    expect(line.count).toBe('5');
    expect(line.error.message).toBe('boom');
    expect(line.error.stack).toContain('Error: boom');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(JSON.parse(jsonLogLine(entry({ circular })))).toEqual({ time: '2023-11-14T22:13:20.123Z', level: 'INFO', message: 'hello', meta: '(unserializable)' });
  });
});
