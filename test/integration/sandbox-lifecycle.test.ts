// `verdict sandbox up` is idempotent and names a port it cannot take.
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { up } from '../../src/sandbox/sandbox';

test('a second up reuses the healthy sandbox', async () => {
  const info = await up();
  expect(info.reused).toBe(true);
  expect(info.env.KUBECONFIG).toBe(process.env.KUBECONFIG);
});

test('a port already taken gives an error that names it, and starts nothing', async () => {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'verdict-sandbox-'));
  const saved = { ...process.env };
  // A separate sandbox (state and every port moved) so the running one is not touched.
  Object.assign(process.env, { VERDICT_SANDBOX_DIR: dir, VERDICT_ETCD_PORT: String(port), VERDICT_ETCD_PEER_PORT: '0', VERDICT_APISERVER_PORT: '1' });
  try {
    await expect(up()).rejects.toThrow(`port ${port} (etcd) is already in use by another process: stop it, or move the sandbox with VERDICT_ETCD_PORT=<port>`);
  } finally {
    process.env = saved;
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
