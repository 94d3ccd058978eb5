// What the real node needs from the host, made and removed by the sandbox alone: its network
// namespace joined to the host by a veth pair, and its cgroup root. Nothing else on the host
// changes (no iptables, no sysctls, no files outside the state directory).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeNet } from './node-layout';

const cgroupMount = '/sys/fs/cgroup';

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function netnsExists(): boolean {
  return existsSync(nodeNet().netnsPath);
}

/** The node's network namespace, its end of the veth (eth0, the node IP) and the host's end. */
export function createNetwork(): void {
  const n = nodeNet();
  ip(['netns', 'add', n.netns]);
  ip(['link', 'add', n.hostVeth, 'type', 'veth', 'peer', 'name', n.nodeVeth]);
  ip(['link', 'set', n.nodeVeth, 'netns', n.netns]);
  ip(['-n', n.netns, 'link', 'set', n.nodeVeth, 'name', 'eth0']);
  ip(['-n', n.netns, 'addr', 'add', `${n.nodeIp}/${n.prefix}`, 'dev', 'eth0']);
  ip(['-n', n.netns, 'link', 'set', 'eth0', 'up']);
  ip(['-n', n.netns, 'link', 'set', 'lo', 'up']);
  ip(['addr', 'add', `${n.hostIp}/${n.prefix}`, 'dev', n.hostVeth]);
  ip(['link', 'set', n.hostVeth, 'up']);
}

/** Deleting the namespace destroys the bridge and the veth pair with it. */
export function deleteNetwork(): void {
  const n = nodeNet();
  if (netnsExists()) ip(['netns', 'delete', n.netns]);
  // Usually gone with the namespace already (asynchronously): a failure here only means that.
  spawnSync('ip', ['link', 'delete', n.hostVeth], { stdio: 'ignore' });
  // `ip netns add` made /run/netns a mount point: undo that once no namespace is left in it.
  if (existsSync('/run/netns') && readdirSync('/run/netns').length === 0) {
    spawnSync('umount', ['/run/netns'], { stdio: 'ignore' });
    try {
      rmdirSync('/run/netns');
    } catch {
      /* still a mount point, or not empty: leave it */
    }
  }
}

/** PIDs whose network namespace is the node's: containerd, the kubelet, the shims. */
export function pidsInNetns(): number[] {
  if (!netnsExists()) return [];
  const r = spawnSync('ip', ['netns', 'pids', nodeNet().netns], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

/** The cgroup hierarchies mounted here: v1 controllers (each a dir) or the one cgroup2 root. */
function hierarchies(): string[] {
  if (existsSync(join(cgroupMount, 'cgroup.controllers'))) return [cgroupMount];
  return readdirSync(cgroupMount)
    .map((d) => join(cgroupMount, d))
    .filter((d) => existsSync(join(d, 'cgroup.procs')));
}

/** The kubelet's cgroupRoot must exist in every hierarchy before it starts. */
export function createCgroupRoot(): void {
  for (const h of hierarchies()) {
    const dir = join(h, nodeNet().cgroupRoot);
    mkdirSync(dir, { recursive: true });
    // A new v1 cpuset is empty: give it its parent's CPUs and memory nodes.
    if (existsSync(join(dir, 'cpuset.cpus'))) {
      for (const f of ['cpuset.cpus', 'cpuset.mems']) writeFileSync(join(dir, f), readFileSync(join(h, f)));
    }
  }
}

/** Every process in the node's cgroups (the pods' containers). */
export function pidsInCgroupRoot(): number[] {
  const pids = new Set<number>();
  for (const h of hierarchies()) {
    for (const dir of walk(join(h, nodeNet().cgroupRoot))) {
      for (const line of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')) if (line) pids.add(Number(line));
    }
  }
  return [...pids];
}

/** Removes the node's cgroups, deepest first (each must be empty of processes). */
export function removeCgroupRoot(): void {
  for (const h of hierarchies()) {
    for (const dir of walk(join(h, nodeNet().cgroupRoot)).reverse()) rmdirSync(dir);
  }
}

/** The directory and every cgroup below it, parents before children. */
function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const children = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  return [dir, ...children.flatMap((c) => walk(join(dir, c.name)))];
}
