// Readiness probes for the sandbox's servers.
import { request } from 'node:https';
import { get } from 'node:http';
import { createConnection } from 'node:net';
import { readFileSync } from 'node:fs';
import { pkiFile } from './pki';

/** True when the URL answers 200 (HTTPS with the sandbox's admin client certificate). */
export function httpOk(url: string, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => resolve(ok);
    const onResponse = (res: { statusCode?: number; resume(): void }) => {
      res.resume();
      done(res.statusCode === 200);
    };
    const req = url.startsWith('https:')
      ? request(url, { ca: readFileSync(pkiFile('ca.crt')), cert: readFileSync(pkiFile('admin.crt')), key: readFileSync(pkiFile('admin.key')), timeout: timeoutMs }, onResponse)
      : get(url, { timeout: timeoutMs }, onResponse);
    req.on('error', () => done(false));
    req.on('timeout', () => req.destroy());
    if (url.startsWith('https:')) req.end();
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, hint: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000}s; ${hint}`);
}
