// Supervises the sandbox's server processes: each runs detached, logs to its own file, and is
// tracked by a pid file so `down` and `status` work from any later process.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths } from './layout';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}

const pidFile = (name: string) => join(paths.pids(), `${name}.pid`);
export const logFile = (name: string) => join(paths.logs(), `${name}.log`);

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True once `start` ran for it and `stop` has not (the process may have died since). */
export function wasStarted(name: string): boolean {
  return existsSync(pidFile(name));
}

export function runningPid(name: string): number | undefined {
  if (!existsSync(pidFile(name))) return undefined;
  const pid = Number(readFileSync(pidFile(name), 'utf8'));
  return pid > 0 && isAlive(pid) ? pid : undefined;
}

export function start(spec: ProcessSpec): number {
  mkdirSync(paths.logs(), { recursive: true });
  mkdirSync(paths.pids(), { recursive: true });
  const out = openSync(logFile(spec.name), 'a');
  const child = spawn(spec.command, spec.args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...spec.env },
  });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
  child.unref();
  writeFileSync(pidFile(spec.name), String(child.pid));
  return child.pid;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stop(name: string, graceMs = 10_000): Promise<void> {
  const pid = runningPid(name);
  if (pid !== undefined) {
    signal(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) signal(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
  }
  rmSync(pidFile(name), { force: true });
}

// The whole process group, so helpers a server forked go too.
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}
