// The real `verdict` command in a subprocess (the compiled CLI: `npm test` builds it first).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../src/sandbox/binaries';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function verdict(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  if (!existsSync(join(repoRoot, 'dist', 'src', 'cli', 'main.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does)');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'verdict'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
