// The real `verdict` command in a subprocess (the compiled CLI: `npm test` builds it first).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../src/sandbox/binaries';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running `verdict` process: its output so far, and its end. */
export interface CliProcess {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  done: Promise<CliResult>;
}

export function spawnVerdict(args: string[], env: Record<string, string | undefined> = {}): CliProcess {
  if (!existsSync(join(repoRoot, 'dist', 'src', 'cli', 'main.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does)');
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'verdict'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (output.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output.stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, ...output })));
  return { child, output, done };
}

export function verdict(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return spawnVerdict(args, env).done;
}
