// The sandbox's real node: containerd and a real kubelet in a network and mount namespace of the
// sandbox's own, pulling from a local OCI registry. It runs beside the kwok nodes; where this
// machine cannot run it, `up` says exactly why and goes on without it (VERDICT_REQUIRE_REAL_NODE=1
// makes that an error, for CI). docs/decisions/real-node.md explains the choices.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './binaries';
import type { Component } from './components';
import { paths, type Ports } from './layout';
import { writeNodeConfig } from './node-config';
import { createCgroupRoot, createNetwork, deleteNetwork, pidsInCgroupRoot, pidsInNetns, removeCgroupRoot } from './node-host';
import { nodeBinaries, nodeImages, nodeName, nodeNet, nodePaths, privateImages, privateRegistryHost, privateRegistryUser, realNodeLabel, validatorTemplateScript } from './node-layout';
import { isCgroupV2, nodePreflight } from './node-preflight';
import { ensureNodeCert } from './pki';
import { isAlive, runningPid, stop } from './processes';

/** On unless VERDICT_REAL_NODE=0. */
export function realNodeWanted(): boolean {
  return process.env.VERDICT_REAL_NODE !== '0';
}

export function realNodeRequired(): boolean {
  return process.env.VERDICT_REQUIRE_REAL_NODE === '1';
}

/** Why the last `up` could not start the node, if it could not. */
export function realNodeUnavailable(): string | undefined {
  return existsSync(nodePaths.unavailable()) ? readFileSync(nodePaths.unavailable(), 'utf8').trim() : undefined;
}

export function nodeComponents(p: Ports): Component[] {
  const bin = nodeBinaries();
  const net = nodeNet();
  const loopback = (port: number) => `127.0.0.1:${port}`;
  return [
    {
      name: 'registry',
      command: bin.registry,
      args: ['serve', nodePaths.registryConfig()],
      listens: ['registry'],
      health: `http://127.0.0.1:${p.registry}/v2/`,
    },
    {
      name: 'registry-private',
      command: bin.registry,
      args: ['serve', nodePaths.privateRegistryConfig()],
      listens: ['privateRegistry'],
      // Its /v2/ asks for a login; the root answers 200 while it serves.
      health: `http://127.0.0.1:${p.privateRegistry}/`,
    },
    {
      // The apiserver and the registries at the same loopback addresses inside the node's namespace.
      name: 'node-forward',
      command: bin.nodetool,
      args: ['forward', net.netnsPath, ...[p.apiserver, p.registry, p.privateRegistry].map((port) => `${loopback(port)}=${loopback(port)}`)],
      listens: [],
    },
    {
      name: 'containerd',
      command: 'nsenter',
      args: [
        `--net=${net.netnsPath}`,
        '--',
        'unshare',
        '--mount',
        '--propagation',
        'private',
        '--',
        join(repoRoot, 'sandbox', 'node-namespace.sh'),
        nodePaths.runtime(),
        nodePaths.sysctls(),
        'containerd',
        `--config=${nodePaths.containerdConfig()}`,
      ],
      listens: [],
    },
    {
      // In containerd's mount namespace (the two must share one), found through its pid.
      name: 'kubelet',
      command: 'nsenter',
      args: [
        `--net=${net.netnsPath}`,
        `--mount=/proc/${runningPid('containerd') ?? 0}/ns/mnt`,
        '--',
        bin.kubelet,
        `--config=${nodePaths.kubeletConfig()}`,
        `--kubeconfig=${nodePaths.kubeletKubeconfig()}`,
        `--hostname-override=${nodeName}`,
        `--node-ip=${net.nodeIp}`,
        `--node-labels=${realNodeLabel.key}=${realNodeLabel.value}`,
        '--v=1',
      ],
      listens: [],
      health: `http://${net.nodeIp}:10248/healthz`,
    },
  ];
}

export interface NodeStarter {
  startComponent(c: Component): Promise<void>;
  kubectl(args: string[]): string;
  waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, hint: string): Promise<void>;
  log(line: string): void;
}

/**
 * Starts the node unless it is healthy already. Returns why it could not, after cleaning up what
 * it had made; throws instead when VERDICT_REQUIRE_REAL_NODE=1.
 */
export async function ensureRealNode(p: Ports, healthy: () => Promise<boolean>, s: NodeStarter): Promise<string | undefined> {
  if (await healthy()) return pushOnRunningNode(p, s);
  // Test runs that start at once may each call `up`: one starts the node, the others wait and reuse it.
  return withNodeLock(async () => ((await healthy()) ? undefined : startOrExplain(p, s)));
}

async function startOrExplain(p: Ports, s: NodeStarter): Promise<string | undefined> {
  const problems = nodePreflight();
  let reason = problems.length > 0 ? problems.join('; ') : undefined;
  if (!reason) {
    try {
      await startRealNode(p, s);
    } catch (e) {
      reason = (e as Error).message;
    }
  }
  if (!reason) {
    rmSync(nodePaths.unavailable(), { force: true });
    return undefined;
  }
  await stopRealNode();
  mkdirSync(nodePaths.dir(), { recursive: true });
  writeFileSync(nodePaths.unavailable(), `${reason}\n`);
  // A Node left from an earlier start would hold pods that ask for it Pending without a word.
  s.kubectl(['delete', 'node', nodeName, '--ignore-not-found', '--wait=false']);
  if (realNodeRequired()) throw new Error(`the real node cannot come up: ${reason}`);
  s.log(`real node unavailable, going on with the kwok nodes only: ${reason}`);
  return reason;
}

async function startRealNode(p: Ports, s: NodeStarter): Promise<void> {
  const started = Date.now();
  await stopRealNode(); // whatever a crashed earlier start left
  // A fresh node each time: no pods, containers or IP allocations from an earlier life.
  rmSync(nodePaths.runtime(), { recursive: true, force: true });
  mkdirSync(nodePaths.runtime(), { recursive: true });
  ensureNodeCert(nodeName);
  writeNodeConfig(p, isCgroupV2());
  createNetwork();
  createCgroupRoot();
  ensurePrivateRegistryLogin();
  const [registry, privateRegistry, forward, containerd] = nodeComponents(p);
  await s.startComponent(registry);
  await s.startComponent(privateRegistry);
  pushImages(p);
  await s.startComponent(forward);
  await s.startComponent(containerd);
  await s.waitFor('containerd', () => existsSync(nodePaths.containerdSocket()), 30_000, `see ${join(paths.logs(), 'containerd.log')}`);
  await s.startComponent(nodeComponents(p)[4]); // made now: it needs containerd's pid
  await s.waitFor(
    `node ${nodeName}`,
    () => s.kubectl(['get', 'node', nodeName, '--ignore-not-found', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']).trim() === 'True',
    120_000,
    `see ${join(paths.logs(), 'kubelet.log')}`,
  );
  s.log(`real node ${nodeName} Ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** Builds the node's images and pushes those the registry lacks (same inputs, same digest). */
function pushImages(p: Ports): void {
  const bin = nodeBinaries();
  const registry = `127.0.0.1:${p.registry}`;
  execFileSync(bin.nodetool, ['push-pause', registry, nodeImages.pause, bin.pause], { stdio: ['ignore', 'ignore', 'pipe'] });
  execFileSync(bin.nodetool, ['push-base', registry, nodeImages.validatorBase, '/bin/busybox'], { stdio: ['ignore', 'ignore', 'pipe'] });
  execFileSync(bin.nodetool, ['push-script', registry, nodeImages.validatorTemplate, '/bin/busybox', validatorTemplateScript()], { stdio: ['ignore', 'ignore', 'pipe'] });
  const { user, password } = privateRegistryLogin();
  for (const repoTag of Object.values(privateImages)) {
    execFileSync(bin.nodetool, ['push-base', `127.0.0.1:${p.privateRegistry}`, repoTag, '/bin/busybox'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODETOOL_REGISTRY_AUTH: `${user}:${password}` },
    });
  }
}

/** The private registry's login: what an imagePullSecret for its images must hold. */
export function privateRegistryLogin(): { server: string; user: string; password: string } {
  return { server: privateRegistryHost, user: privateRegistryUser, password: readFileSync(nodePaths.privateRegistryPassword(), 'utf8').trim() };
}

/** Makes the private registry's password once per sandbox, and its htpasswd file from it. */
function ensurePrivateRegistryLogin(): void {
  if (!existsSync(nodePaths.privateRegistryPassword())) writeFileSync(nodePaths.privateRegistryPassword(), `${randomBytes(18).toString('hex')}\n`, { mode: 0o600 });
  const line = execFileSync(nodeBinaries().nodetool, ['htpasswd', privateRegistryUser], { input: privateRegistryLogin().password, stdio: ['pipe', 'pipe', 'pipe'] });
  writeFileSync(nodePaths.privateRegistryHtpasswd(), line, { mode: 0o600 });
}

/**
 * A reused node gets images that changed since it started (an edited template validator); a
 * failure is only logged, so a missing nodetool build never stops a shared sandbox's `up`.
 */
function pushOnRunningNode(p: Ports, s: NodeStarter): undefined {
  try {
    pushImages(p);
  } catch (e) {
    s.log(`could not push the real node's images (run scripts/build-node-tools.sh): ${(e as Error).message}`);
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lockHolder(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8'));
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function withNodeLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(nodePaths.dir(), 'lock');
  mkdirSync(nodePaths.dir(), { recursive: true });
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      // A holder that died (its pid gone) left the lock behind; an unreadable one is being written.
      const holder = lockHolder(lock);
      if (holder !== undefined && !isAlive(holder)) rmSync(lock, { force: true });
      else await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Stops the node and removes everything it made: processes, pods, cgroups, the namespaces. */
export async function stopRealNode(): Promise<void> {
  await stop('kubelet');
  await killAll(pidsInCgroupRoot); // the pods' containers
  await stop('containerd');
  await killAll(pidsInNetns); // the shims, and anything else left in the namespace
  await Promise.all([stop('node-forward'), stop('registry'), stop('registry-private')]);
  for (let attempt = 0; ; attempt++) {
    try {
      removeCgroupRoot();
      break;
    } catch (e) {
      if (attempt >= 20) throw e; // a cgroup stays busy a moment after its last process dies
      await sleep(250);
    }
  }
  deleteNetwork();
}

async function killAll(list: () => number[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const pids = list().filter((pid) => pid !== process.pid);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone already */
      }
    }
    await sleep(100);
  }
  throw new Error(`processes of the real node would not die: ${list().join(', ')}`);
}
