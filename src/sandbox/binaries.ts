// Where the pinned servers built by scripts/build-servers.sh live, keyed by version.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The checkout this code runs from, whether as TypeScript (src/) or compiled (dist/src/). */
export const repoRoot = findRepoRoot(__dirname);

function findRepoRoot(dir: string): string {
  for (let d = dir; d !== dirname(d); d = dirname(d)) {
    if (existsSync(join(d, 'sandbox', 'versions.env'))) return d;
  }
  throw new Error(`cannot find the Verdict checkout above ${dir}`);
}

export type Binary = 'temporal' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kubectl' | 'etcd' | 'kwok' | 'helm';

const versionKey: Record<Binary, string> = {
  temporal: 'TEMPORAL_VERSION',
  'kube-apiserver': 'KUBERNETES_VERSION',
  'kube-controller-manager': 'KUBERNETES_VERSION',
  'kube-scheduler': 'KUBERNETES_VERSION',
  kubectl: 'KUBERNETES_VERSION',
  etcd: 'ETCD_VERSION',
  kwok: 'KWOK_VERSION',
  helm: 'HELM_VERSION',
};

export function cacheDir(): string {
  return process.env.VERDICT_CACHE ?? join(homedir(), '.cache', 'verdict');
}

export function pinnedVersions(): Record<string, string> {
  const text = readFileSync(join(repoRoot, 'sandbox', 'versions.env'), 'utf8');
  return Object.fromEntries(
    text.split('\n').flatMap((line) => {
      const m = /^([A-Z_]+)=(\S+)/.exec(line);
      return m ? [[m[1], m[2]]] : [];
    }),
  );
}

export function binaryPath(name: Binary): string {
  return join(cacheDir(), 'bin', `${name}-${pinnedVersions()[versionKey[name]]}`);
}

/**
 * Installs the real node's Debian packages when it can (root), then builds any missing server and
 * the real node's tools (the scripts show their progress on stderr).
 */
export function buildMissingBinaries(opts: { nodePackages: boolean }): void {
  // Not root: the node's preflight says what is missing, and `up` goes on with kwok only.
  if (opts.nodePackages && process.getuid?.() === 0) spawnSync(join(repoRoot, 'scripts', 'install-node-packages.sh'), { stdio: ['ignore', 'inherit', 'inherit'] });
  const result = spawnSync(join(repoRoot, 'scripts', 'build-servers.sh'), { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('building the servers failed (see above)');
}

/** Throws one error naming every missing server and the command that builds them. */
export function requireBinaries(names: Binary[]): void {
  const missing = names.filter((n) => !existsSync(binaryPath(n)));
  if (missing.length > 0) {
    throw new Error(`servers not built yet: ${missing.join(', ')}. Run \`npm run servers\` (the first build takes a while).`);
  }
}
