// Kubernetes probes over HTTP: GET /healthz answers 200 while the process serves requests
// (liveness), GET /readyz 200 only while the Temporal Worker is RUNNING, else 503 (readiness).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export function startHealthServer(host: string, port: number, state: () => string): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://health').pathname;
    const reply = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, { error: 'GET only' });
    if (path === '/healthz') return reply(200, { status: 'alive' });
    if (path === '/readyz') {
      const s = state();
      return reply(s === 'RUNNING' ? 200 : 503, { state: s });
    }
    reply(404, { error: 'not found: try /healthz or /readyz' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
