// `verdict codec-server`: the payload codec over HTTP, so the Temporal Web UI and CLI show
// encrypted payloads to people who hold the keys. Also the CLI's codec from the environment.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { codecFromEnv, CodecConfigError, encryptedEncoding, keySources, type AesGcmCodec } from '../codec';
import { codecServerProblem, defaultOrigins, minTokenLength, startCodecServer } from '../codec/server';
import { UsageError } from './errors';

export const tokenEnv = 'VERDICT_CODEC_TOKEN';

/** The codec the environment configures, if any; bad keys are a usage error (exit 2). */
export function cliCodec(env: NodeJS.ProcessEnv = process.env): AesGcmCodec | undefined {
  try {
    return codecFromEnv(env);
  } catch (err) {
    if (err instanceof CodecConfigError) throw new UsageError(err.message);
    throw err;
  }
}

/** Encrypted payloads read without keys: a configuration problem, said plainly (exit 2). */
export function withCodecHint(err: unknown): unknown {
  if (!(err instanceof Error) || !err.message.includes(`Unknown encoding: ${encryptedEncoding}`)) return err;
  return new UsageError(`this run's data is encrypted by a payload codec and no key is configured here: ${keySources}`);
}

interface Opts {
  host: string;
  port: string;
  origin: string[];
  allowedHost: string[];
  tokenFile?: string;
  insecureNoAuth?: boolean;
}

function token(o: Opts): string | undefined {
  if (o.tokenFile === undefined) return process.env[tokenEnv] || undefined;
  let text: string;
  try {
    text = readFileSync(o.tokenFile, 'utf8').trim();
  } catch {
    throw new UsageError(`--token-file ${o.tokenFile}: cannot read it`);
  }
  if (text === '') throw new UsageError(`--token-file ${o.tokenFile}: the file is empty; put the bearer token in it`);
  return text;
}

/** The server's auth: a token, or the explicit --insecure-no-auth; never silently open. */
function auth(o: Opts): { token?: string; insecureNoAuth?: boolean } {
  const t = token(o);
  if (t !== undefined && o.insecureNoAuth) throw new UsageError(`--insecure-no-auth and a token (${o.tokenFile ? '--token-file' : `$${tokenEnv}`}) exclude each other: drop one`);
  if (o.insecureNoAuth) return { insecureNoAuth: true };
  if (t === undefined) {
    throw new UsageError(
      `codec-server decrypts for whoever calls it, so it needs a bearer token: set ${tokenEnv} or --token-file <file> (e.g. from \`openssl rand -hex 32\`), ` +
        'and give the Web UI / `temporal --codec-auth` "Bearer <token>"; or pass --insecure-no-auth if only you can reach it',
    );
  }
  if (t.length < minTokenLength) throw new UsageError(`the bearer token (${o.tokenFile ? `--token-file ${o.tokenFile}` : `$${tokenEnv}`}) is ${t.length} characters long; use at least ${minTokenLength} (e.g. \`openssl rand -hex 32\`)`);
  return { token: t };
}

const repeatable = (v: string, all: string[]) => [...all, v];

export function codecServerCommand(): Command {
  return new Command('codec-server')
    .description('serve POST /encode and /decode for the Temporal Web UI (--ui-codec-endpoint, or its Data Encoder setting) and `temporal --codec-endpoint`')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '8888')
    .option('--origin <url>', `browser origin allowed to call it, "*" for any (repeatable; default ${defaultOrigins.join(', ')})`, repeatable, [])
    .option('--token-file <file>', `require "Authorization: Bearer <token>" with the token in this file (default: $${tokenEnv}; one of them is required)`)
    .option('--insecure-no-auth', 'serve without a bearer token: anyone who reaches the port can decrypt (only for a server no one else can reach)')
    .option('--allowed-host <host:port>', 'a Host header to accept besides the listen address, e.g. the name a proxy or Service gives it (repeatable; required with --host 0.0.0.0)', repeatable, [])
    .action(async (o: Opts) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${o.port}: must be a port number (0-65535)`);
      const codec = cliCodec();
      if (!codec) throw new UsageError(`codec-server needs keys: ${keySources}`);
      const options = { codec, host: o.host, port, origins: o.origin.length ? o.origin : defaultOrigins, allowedHosts: o.allowedHost, ...auth(o) };
      const problem = codecServerProblem(options);
      if (problem) throw new UsageError(`codec-server: ${problem.replace('allowedHosts', '--allowed-host')}`);
      const server = await startCodecServer(options).catch((err: Error) => {
        throw new UsageError(`cannot listen on ${o.host}:${port}: ${err.message}`);
      });
      const { primary, keys } = codec.ring;
      const access = o.insecureNoAuth ? 'NO AUTH: anyone who reaches it can decrypt' : 'bearer token required';
      console.error(`[verdict] codec server on ${server.url} (keys ${[...keys.keys()].join(', ')}; primary ${primary}; ${access}; Host ${server.hosts.join(', ')})`);
      await new Promise<void>((resolve) => ['SIGINT', 'SIGTERM'].forEach((s) => process.once(s, resolve)));
      await server.close();
    });
}
