// Whether this machine can run the real node, and if not, exactly why: checked before anything
// is created, so `sandbox up` can say so and go on with the kwok nodes alone.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { nodeBinaries } from './node-layout';

export const nodePackages = ['containerd', 'runc', 'containernetworking-plugins', 'busybox-static', 'iproute2'] as const;

/** CAP_NET_ADMIN (veth, addresses) and CAP_SYS_ADMIN (namespaces, mounts), by bit. */
const neededCaps = { CAP_NET_ADMIN: 12, CAP_SYS_ADMIN: 21 } as const;

/** True on a pure cgroup2 host (then the kubelet needs no cgroup v1 exception). */
export function isCgroupV2(): boolean {
  return existsSync('/sys/fs/cgroup/cgroup.controllers');
}

/** Every reason the node cannot come up here; empty when it can. */
export function nodePreflight(): string[] {
  if (process.platform !== 'linux') return [`the real node needs Linux (this is ${process.platform})`];
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) return [`not root (uid ${uid}): the real node needs root for its network and mount namespaces`];
  const problems: string[] = [];
  const caps = effectiveCaps();
  for (const [name, bit] of Object.entries(neededCaps)) {
    if ((caps & (1n << BigInt(bit))) === 0n) problems.push(`missing capability ${name}`);
  }
  if (!isCgroupV2() && !existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes')) {
    problems.push('no memory cgroup (neither a cgroup2 hierarchy at /sys/fs/cgroup nor a v1 memory hierarchy at /sys/fs/cgroup/memory)');
  }
  if (!existsSync('/dev/kmsg')) problems.push('no /dev/kmsg (the kubelet watches it for OOM kills)');
  const missing = nodePackages.filter((p) => !debianPackageInstalled(p));
  if (missing.length > 0) problems.push(`Debian packages not installed: ${missing.join(', ')} (run scripts/install-node-packages.sh)`);
  for (const cmd of ['nsenter', 'unshare', 'mount']) if (!onPath(cmd)) problems.push(`command not found: ${cmd} (util-linux)`);
  const bins = nodeBinaries();
  const unbuilt = Object.entries(bins).filter(([, path]) => !existsSync(path));
  if (unbuilt.length > 0) {
    problems.push(`not built: ${unbuilt.map(([n]) => n).join(', ')} (run scripts/build-servers.sh and scripts/build-node-tools.sh)`);
  }
  return problems;
}

function effectiveCaps(): bigint {
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? BigInt(`0x${m[1]}`) : 0n;
}

function debianPackageInstalled(name: string): boolean {
  const r = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout === 'installed';
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
