// GET requests to the API server that we can always abandon. The client library's Watch cannot
// be: in client-node 1.4.0 it replaces its own timeout signal with its abort controller and hands
// that controller back only once response headers arrive, so a connection that hangs before its
// headers hangs forever. Here the caller owns the signal and a timer bounds the wait for headers.
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** The API server answered with another status than 200 (its Status message, when it sent one). */
export class ApiStatusError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiStatusError';
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

function urlOf(config: KubeConfig, path: string, query: Query): URL {
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(server.replace(/\/$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

async function readAll(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function statusError(res: http.IncomingMessage): Promise<ApiStatusError> {
  const code = res.statusCode ?? 0;
  let message = `HTTP ${code}`;
  try {
    const body = JSON.parse(await readAll(res)) as { message?: string };
    if (body.message) message = `HTTP ${code}: ${body.message}`;
  } catch {
    // not a Status body: the code says enough
  }
  return new ApiStatusError(code, message);
}

/**
 * Opens `GET path?query` and resolves with the response once a 200's headers arrive. Rejects when
 * `signal` aborts, when no headers came within `headersTimeoutMs` (the request is then destroyed),
 * or with an ApiStatusError for any other status.
 */
export async function openGet(config: KubeConfig, path: string, query: Query, signal: AbortSignal, headersTimeoutMs: number): Promise<http.IncomingMessage> {
  const url = urlOf(config, path, query);
  const opts: https.RequestOptions = {};
  await config.applyToHTTPSOptions(opts);
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const lib = url.protocol === 'http:' ? http : https;
    const req = lib.request(url, { ...opts, method: 'GET', signal });
    const timer = setTimeout(() => req.destroy(new Error(`no response headers from ${url.host} within ${headersTimeoutMs} ms`)), headersTimeoutMs);
    req.on('response', (r) => {
      clearTimeout(timer);
      resolve(r);
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    // A peer that vanishes without closing shows up as a dead socket, not a silent one forever.
    req.on('socket', (s) => s.setKeepAlive(true, 30_000));
    req.end();
  });
  if (res.statusCode !== 200) throw await statusError(res);
  return res;
}

/** An AbortController that also aborts with `parent`; `release` detaches it once done with. */
export function childOf(parent: AbortSignal): { controller: AbortController; release: () => void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return { controller, release: () => parent.removeEventListener('abort', onAbort) };
}

/** `GET path?query` as JSON, the whole exchange bounded by `timeoutMs`. */
export async function getJson<T>(config: KubeConfig, path: string, query: Query, signal: AbortSignal, timeoutMs: number): Promise<T> {
  const { controller, release } = childOf(signal);
  const timer = setTimeout(() => controller.abort(new Error(`GET ${path} took longer than ${timeoutMs} ms`)), timeoutMs);
  try {
    return JSON.parse(await readAll(await openGet(config, path, query, controller.signal, timeoutMs))) as T;
  } finally {
    clearTimeout(timer);
    release();
  }
}
