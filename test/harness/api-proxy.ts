// A proxy on 127.0.0.1 in front of the sandbox's API server, for tests of what our watches do when
// the network misbehaves. It terminates TLS with the API server's own certificate (valid for
// 127.0.0.1, signed by the sandbox CA, so clients verify it as usual) and forwards each request
// with the sandbox admin's credentials, so it sees HTTP and can: cut every connection, hold a
// watch's response headers, stall open watch streams, answer watches itself, write an event into
// open streams, or send watches on from a long-expired resourceVersion. Nothing leaves the loopback interface.
import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { pkiFile } from '../../src/sandbox/pki';

export interface SeenRequest {
  at: number;
  watch: boolean;
  path: string;
  /** When its connection closed or its response ended. */
  closedAt?: number;
}

/** What to answer every new watch with, instead of forwarding it. */
export interface WatchAnswer {
  status: number;
  /** Lines of the body: watch events for a 200, a Status otherwise. */
  lines: object[];
}

interface Stream {
  res: ServerResponse;
  stalled: boolean;
}

export class ApiProxy {
  /** Every request seen, in order. */
  readonly requests: SeenRequest[] = [];
  /** New watches get no response headers while set (the request reaches the proxy, no answer comes). */
  holdWatchHeaders = false;
  /** New connections are cut at once while set: the API server is unreachable. */
  refuse = false;
  watchAnswer: WatchAnswer | undefined;
  /** New watches are forwarded from resourceVersion 1, long compacted: the API server itself answers 410 Gone. */
  expireWatches = false;
  private readonly sockets = new Set<Socket>();
  private readonly streams = new Set<Stream>();
  private server!: https.Server;
  private upstream!: https.RequestOptions;
  private target!: URL;
  /** A kubeconfig like the real one, whose server is this proxy. */
  config!: KubeConfig;

  static async start(real: KubeConfig): Promise<ApiProxy> {
    const p = new ApiProxy();
    await p.listen(real);
    return p;
  }

  private async listen(real: KubeConfig): Promise<void> {
    const cluster = real.getCurrentCluster()!;
    this.target = new URL(cluster.server);
    this.upstream = {};
    await real.applyToHTTPSOptions(this.upstream);
    this.server = https.createServer({ cert: readFileSync(pkiFile('apiserver.crt')), key: readFileSync(pkiFile('apiserver.key')) }, (req, res) => this.handle(req, res));
    this.server.on('connection', (s: Socket) => {
      if (this.refuse) return void s.destroy();
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const { port } = this.server.address() as AddressInfo;
    this.config = new KubeConfig();
    this.config.loadFromOptions({
      clusters: [{ ...cluster, name: 'proxy', server: `https://127.0.0.1:${port}` }],
      users: real.users,
      contexts: [{ name: 'proxy', cluster: 'proxy', user: real.getCurrentUser()!.name }],
      currentContext: 'proxy',
    });
  }

  /** Watch requests seen since `since` (ms epoch). */
  watchesSince(since: number): SeenRequest[] {
    return this.requests.filter((r) => r.watch && r.at >= since);
  }

  listsSince(since: number): SeenRequest[] {
    return this.requests.filter((r) => !r.watch && r.at >= since && r.path.includes('labelSelector'));
  }

  /** Cuts every open connection (the client sees a reset mid-stream). */
  drop(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Open watch streams stop delivering: whatever the API server sends them is thrown away. */
  stallStreams(): void {
    for (const s of this.streams) s.stalled = true;
  }

  /** Writes `event` as one line into every open watch stream, stalled or not. */
  inject(event: object): void {
    for (const s of this.streams) s.res.write(`${JSON.stringify(event)}\n`);
  }

  async close(): Promise<void> {
    this.drop();
    await new Promise((r) => this.server.close(r));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.target);
    const seen: SeenRequest = { at: Date.now(), watch: url.searchParams.get('watch') === 'true', path: url.pathname + url.search };
    this.requests.push(seen);
    res.on('close', () => (seen.closedAt = Date.now()));
    if (seen.watch && this.holdWatchHeaders) return;
    if (seen.watch && this.watchAnswer) return this.answer(res, this.watchAnswer);
    if (seen.watch && this.expireWatches) url.searchParams.set('resourceVersion', '1');
    this.forward(req, res, url, seen.watch);
  }

  private answer(res: ServerResponse, a: WatchAnswer): void {
    res.writeHead(a.status, { 'content-type': 'application/json' });
    res.end(a.lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  }

  private forward(req: IncomingMessage, res: ServerResponse, url: URL, watch: boolean): void {
    const headers = { ...req.headers, ...(this.upstream.headers ?? {}) };
    delete headers.host;
    delete headers.connection;
    const up = https.request(url, { ...this.upstream, method: req.method, headers }, (upRes) => {
      const out = { ...upRes.headers };
      delete out.connection;
      delete out['transfer-encoding'];
      res.writeHead(upRes.statusCode ?? 502, out);
      res.flushHeaders(); // as the API server does: a watch's headers come before its first event
      const stream: Stream = { res, stalled: false };
      if (watch) this.streams.add(stream);
      upRes.on('data', (chunk: Buffer) => void (stream.stalled || res.write(chunk)));
      upRes.on('end', () => res.end());
      upRes.on('error', () => res.destroy());
      res.on('close', () => {
        this.streams.delete(stream);
        upRes.destroy();
      });
    });
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.on('error', () => up.destroy());
    req.pipe(up);
  }
}
