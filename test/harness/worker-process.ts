// A `verdict worker` in its own process, so a test can kill it like a crashed machine would.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../../src/sandbox/binaries';

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A worker without metrics and health endpoints, so workers at once never compete for ports. */
export async function spawnWorker(taskQueue: string, args: string[] = []): Promise<ChildProcess> {
  if (!existsSync(join(repoRoot, 'dist', 'src', 'cli', 'main.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does)');
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'verdict'), 'worker', '--task-queue', taskQueue, '--policy-preset', 'sandbox', '--metrics-port', '0', '--health-port', '0', ...args], { env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('worker polling')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before polling:\n${output}`)));
  });
  return child;
}

/** Sends `signal` and resolves with the exit code once the process has ended. */
export function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
