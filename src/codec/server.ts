// A remote codec endpoint: POST /encode and /decode with `{ payloads: [...] }`, as the Temporal
// Web UI ("Data Encoder" setting, or the dev server's --ui-codec-endpoint) and `temporal
// --codec-endpoint` expect. It decrypts for whoever may call it, so by default only
// `Authorization: Bearer <token>` is served, and only under its own Host name: a page whose domain
// resolves to this address (DNS rebinding) sends its own name as Host and is refused.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PayloadCodec } from '@temporalio/common';
import { fromJson, payloadsJson, toJson } from './json';

export interface CodecServerOptions {
  codec: PayloadCodec;
  host?: string;
  port?: number;
  /** Browser origins allowed to call (the Web UI's); "*" allows any. */
  origins?: string[];
  /** Requests must carry `Authorization: Bearer <token>`; required unless `insecureNoAuth`. */
  token?: string;
  /** Serve without a token: an explicit choice, for a server only its user can reach. */
  insecureNoAuth?: boolean;
  /** Host header values accepted besides the listen address (a name, a proxy's or a Service's). */
  allowedHosts?: string[];
  /** Largest request body accepted. */
  maxBodyBytes?: number;
}

export interface CodecServer {
  url: string;
  /** The Host header values it answers to. */
  hosts: string[];
  close(): Promise<void>;
}

export const defaultOrigins = ['http://127.0.0.1:8233', 'http://localhost:8233'];
const defaultMaxBody = 16 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function cors(req: IncomingMessage, res: ServerResponse, origins: string[]): void {
  const origin = req.headers.origin;
  if (!origin || !(origins.includes('*') || origins.includes(origin))) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Namespace');
}

export const minTokenLength = 16;

/** Why these options cannot start a server, or undefined. */
export function codecServerProblem(o: Pick<CodecServerOptions, 'token' | 'insecureNoAuth' | 'host' | 'allowedHosts'>): string | undefined {
  if (o.token !== undefined && o.insecureNoAuth) return 'a token and insecureNoAuth exclude each other: drop one';
  if (o.token === undefined && !o.insecureNoAuth) return 'a bearer token is required (or an explicit insecureNoAuth)';
  if (o.token !== undefined && o.token.length < minTokenLength) return `the bearer token is ${o.token.length} characters long; use at least ${minTokenLength} (e.g. \`openssl rand -hex 32\`)`;
  if (wildcard(o.host ?? defaultHost) && !o.allowedHosts?.length) return `listening on ${o.host} matches no Host header: name the host:port clients use in allowedHosts`;
  return undefined;
}

const defaultHost = '127.0.0.1';
const loopbackNames = ['127.0.0.1', 'localhost', '[::1]'];
const wildcard = (host: string) => host === '0.0.0.0' || host === '::' || host === '[::]';
const bracketed = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** The Host header values this server answers to: its listen address (any loopback name for a loopback one), plus the allowed ones. */
export function acceptedHosts(host: string, port: number, allowed: string[] = []): string[] {
  const h = bracketed(host).toLowerCase();
  const names = loopbackNames.includes(h) ? loopbackNames : wildcard(host) ? [] : [h];
  // On port 80 a browser leaves the port out of Host.
  return [...new Set([...names.flatMap((n) => (port === 80 ? [`${n}:${port}`, n] : [`${n}:${port}`])), ...allowed.map((a) => a.toLowerCase())])];
}

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = Buffer.from(req.headers.authorization ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

async function readBody(req: IncomingMessage, max: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new HttpError(413, `request body is over ${max} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not JSON: send {"payloads": [{"metadata": {...}, "data": "<base64>"}]}');
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, o: CodecServerOptions, hosts: string[]): Promise<void> {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.includes(host)) throw new HttpError(421, `Host "${host.slice(0, 100)}" is not this server's (${hosts.join(', ')}): refused, as a DNS-rebinding defence; accept another name with --allowed-host`);
  cors(req, res, o.origins ?? defaultOrigins);
  if (req.method === 'OPTIONS') return void res.writeHead(204).end();
  const path = new URL(req.url ?? '/', 'http://codec').pathname.replace(/\/+$/, '');
  const op = path === '/encode' ? 'encode' : path === '/decode' ? 'decode' : undefined;
  if (!op) throw new HttpError(404, 'not found: POST /encode or /decode');
  if (req.method !== 'POST') throw new HttpError(405, `${req.method ?? '?'} not allowed: POST ${path}`);
  if (!authorized(req, o.token)) throw new HttpError(401, 'missing or wrong bearer token (Authorization: Bearer <token>)');
  const body = payloadsJson.safeParse(await readBody(req, o.maxBodyBytes ?? defaultMaxBody));
  if (!body.success) throw new HttpError(400, `bad request body: ${body.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ')}`);
  let out;
  try {
    out = await o.codec[op](fromJson(body.data));
  } catch (err) {
    throw new HttpError(422, err instanceof Error ? err.message : String(err));
  }
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(toJson(out)));
}

/** Starts the server; options that would leave it open (no token, a Host it cannot check) throw. */
export async function startCodecServer(o: CodecServerOptions): Promise<CodecServer> {
  const problem = codecServerProblem(o);
  if (problem) throw new Error(`codec server: ${problem}`);
  let hosts: string[] = [];
  const server = createServer((req, res) => {
    handle(req, res, o, hosts).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(err instanceof Error ? err.message : String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 8888, o.host ?? defaultHost, resolve);
  });
  const { port } = server.address() as AddressInfo;
  hosts = acceptedHosts(o.host ?? defaultHost, port, o.allowedHosts);
  return {
    url: `http://${hosts[0]}`,
    hosts,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
