// Temporal connection profiles, one source for the worker (NativeConnection) and the client
// (Connection):
//   local     plain gRPC, e.g. the sandbox's dev server (no TLS settings)
//   tls       server TLS only: --tls, or a CA / server name for a private CA
//   mtls      a client certificate and key (--tls-cert, --tls-key), optional CA and server name
//   api-key   Temporal Cloud: an API key over TLS (--api-key), optional CA and server name
// The settings and their variables follow the Temporal CLI's (TEMPORAL_ADDRESS, TEMPORAL_TLS_CERT...).
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { parseSettings, rawSettings, type SettingTable } from './settings';

export const connectionSettings = {
  address: { env: 'TEMPORAL_ADDRESS', flag: '--address' },
  namespace: { env: 'TEMPORAL_NAMESPACE', flag: '--namespace' },
  apiKey: { env: 'TEMPORAL_API_KEY', flag: '--api-key' },
  tls: { env: 'TEMPORAL_TLS', flag: '--tls' },
  tlsCert: { env: 'TEMPORAL_TLS_CERT', flag: '--tls-cert' },
  tlsKey: { env: 'TEMPORAL_TLS_KEY', flag: '--tls-key' },
  tlsCa: { env: 'TEMPORAL_TLS_CA', flag: '--tls-ca' },
  tlsServerName: { env: 'TEMPORAL_TLS_SERVER_NAME', flag: '--tls-server-name' },
} satisfies SettingTable;

export type ProfileKind = 'local' | 'tls' | 'mtls' | 'api-key';

/** What a file setting must hold: a PEM block whose header contains this text. */
const pemMarkers = { tlsCert: 'CERTIFICATE', tlsKey: 'PRIVATE KEY', tlsCa: 'CERTIFICATE' } as const;
type PemSetting = keyof typeof pemMarkers;

/** Why `path` cannot serve as this setting's PEM file, or undefined when it can. */
export function pemFileProblem(setting: PemSetting, path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return 'is not a regular file';
    const text = readFileSync(path, 'utf8');
    if (!new RegExp(`-----BEGIN [A-Z ]*${pemMarkers[setting]}-----`).test(text)) return `does not contain a PEM ${pemMarkers[setting].toLowerCase()} (-----BEGIN ...${pemMarkers[setting]}-----)`;
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES') return 'is not readable (permission denied)';
    return `cannot be read (${code ?? String(err)})`;
  }
}

const pemFile = (setting: PemSetting) =>
  z.string().check((ctx) => {
    const problem = pemFileProblem(setting, ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
  });

const flag = z.union([z.boolean(), z.stringbool()], { error: 'must be true or false' });

/** The connection fields, for schemas that embed them (the worker's configuration). */
export const connectionShape = {
  address: z.string({ error: 'is required' }).regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]/]+):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233 or my-ns.a1b2c.tmprl.cloud:7233'),
  namespace: z.string().min(1).default('default'),
  apiKey: z.string().min(1).optional(),
  tls: flag.optional(),
  tlsCert: pemFile('tlsCert').optional(),
  tlsKey: pemFile('tlsKey').optional(),
  tlsCa: pemFile('tlsCa').optional(),
  tlsServerName: z.string().min(1).optional(),
};

type ConnectionFields = { [K in keyof typeof connectionShape]: z.output<(typeof connectionShape)[K]> };

/** The combination rules: a certificate needs its key, an API key excludes a client certificate, TLS off excludes TLS settings. */
export function checkConnection(c: Partial<ConnectionFields>, ctx: z.core.$RefinementCtx): void {
  const issue = (path: keyof ConnectionFields, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (c.tlsCert && !c.tlsKey) issue('tlsKey', `mTLS needs the client certificate's private key too (${connectionSettings.tlsKey.flag})`);
  if (c.tlsKey && !c.tlsCert) issue('tlsCert', `mTLS needs the client certificate too (${connectionSettings.tlsCert.flag})`);
  if (c.apiKey && (c.tlsCert || c.tlsKey)) issue('apiKey', 'use either an API key (Temporal Cloud) or an mTLS client certificate, not both');
  if (c.tls === false) {
    const tlsOnly = (['apiKey', 'tlsCert', 'tlsKey', 'tlsCa', 'tlsServerName'] as const).filter((k) => c[k]);
    if (tlsOnly.length > 0) issue('tls', `TLS is off, but ${tlsOnly.map((k) => connectionSettings[k].flag).join(', ')} need(s) it: remove them or turn TLS on`);
  }
}

/** Combination rules run even when a field is invalid, so every problem is reported at once. */
export const always = { when: () => true };

export const connectionSchema = z.strictObject(connectionShape).superRefine(checkConnection, always);

export type ConnectionSettings = z.input<typeof connectionSchema>;

export function profileKind(c: Partial<ConnectionFields>): ProfileKind {
  if (c.apiKey) return 'api-key';
  if (c.tlsCert) return 'mtls';
  if (c.tls || c.tlsCa || c.tlsServerName) return 'tls';
  return 'local';
}

/** The options both Connection.connect and NativeConnection.connect take. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: { serverNameOverride?: string; serverRootCACertificate?: Buffer; clientCertPair?: { crt: Buffer; key: Buffer } };
  apiKey?: string;
}

/**
 * Validates the settings (every problem in one SettingsError naming field, flag and variable)
 * and reads the certificate files.
 */
export function connectionOptions(settings: ConnectionSettings): TemporalConnectionOptions & { namespace: string; profile: ProfileKind } {
  const c = parseSettings('Temporal connection settings', connectionSettings, connectionSchema, settings);
  const profile = profileKind(c);
  const base = { address: c.address, namespace: c.namespace, profile };
  if (profile === 'local') return base;
  const tls: NonNullable<TemporalConnectionOptions['tls']> = {};
  if (c.tlsServerName) tls.serverNameOverride = c.tlsServerName;
  if (c.tlsCa) tls.serverRootCACertificate = readFileSync(c.tlsCa);
  if (c.tlsCert && c.tlsKey) tls.clientCertPair = { crt: readFileSync(c.tlsCert), key: readFileSync(c.tlsKey) };
  return { ...base, tls, ...(c.apiKey ? { apiKey: c.apiKey } : {}) };
}

/** The connection settings from the TEMPORAL_* environment variables, with given values over them. */
export function connectionSettingsFromEnv(env: NodeJS.ProcessEnv, given: Partial<Record<keyof typeof connectionSettings, string | boolean>> = {}): ConnectionSettings {
  return rawSettings(connectionSettings, given, env) as ConnectionSettings;
}
