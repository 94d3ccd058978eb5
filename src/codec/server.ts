// A remote codec endpoint: POST /encode and /decode with `{ payloads: [...] }`, as the Temporal
// Web UI ("Data Encoder" setting, or the dev server's --ui-codec-endpoint) and `temporal
// --codec-endpoint` expect. With a token set, only `Authorization: Bearer <token>` is served.
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
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Largest request body accepted. */
  maxBodyBytes?: number;
}

export interface CodecServer {
  url: string;
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

async function handle(req: IncomingMessage, res: ServerResponse, o: CodecServerOptions): Promise<void> {
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

export async function startCodecServer(o: CodecServerOptions): Promise<CodecServer> {
  const server = createServer((req, res) => {
    handle(req, res, o).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(err instanceof Error ? err.message : String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 8888, o.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
