// Where the pinned servers built by scripts/build-servers.sh live, keyed by version.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');

export type Binary = 'temporal' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kubectl' | 'etcd' | 'kwok';

const versionKey: Record<Binary, string> = {
  temporal: 'TEMPORAL_VERSION',
  'kube-apiserver': 'KUBERNETES_VERSION',
  'kube-controller-manager': 'KUBERNETES_VERSION',
  'kube-scheduler': 'KUBERNETES_VERSION',
  kubectl: 'KUBERNETES_VERSION',
  etcd: 'ETCD_VERSION',
  kwok: 'KWOK_VERSION',
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

/** Throws one error naming every missing server and the command that builds them. */
export function requireBinaries(names: Binary[]): void {
  const missing = names.filter((n) => !existsSync(binaryPath(n)));
  if (missing.length > 0) {
    throw new Error(`servers not built yet: ${missing.join(', ')}. Run \`npm run servers\` (the first build takes a while).`);
  }
}
