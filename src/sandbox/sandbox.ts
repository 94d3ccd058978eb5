// The local sandbox: a Temporal dev server and a real Kubernetes control plane with kwok nodes,
// started as plain processes from the servers cached by scripts/build-servers.sh.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { binaryPath, buildMissingBinaries, requireBinaries, type Binary } from './binaries';
import { components, type Component } from './components';
import { writeKubeconfig } from './kubeconfig';
import { paths, ports, stateDir, type Ports } from './layout';
import { nodeManifests } from './nodes';
import { ensurePki } from './pki';
import { httpOk, portInUse, waitFor } from './probe';
import { logFile, runningPid, start, stop, wasStarted } from './processes';
import { ensureRealNode, nodeComponents, realNodeUnavailable, realNodeWanted, stopRealNode } from './real-node';

export interface SandboxOptions {
  /** Plain worker nodes besides the GPU node (at least 2). */
  workers?: number;
  log?: (line: string) => void;
  /** Build missing servers first instead of failing. */
  build?: boolean;
}

export interface SandboxInfo {
  kubeconfig: string;
  temporalAddress: string;
  webUi: string;
  env: Record<string, string>;
}

const allBinaries: Binary[] = ['temporal', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'etcd', 'kwok'];

export function sandboxInfo(p: Ports = ports()): SandboxInfo {
  const env = {
    KUBECONFIG: paths.kubeconfig(),
    TEMPORAL_ADDRESS: `127.0.0.1:${p.temporal}`,
    TEMPORAL_NAMESPACE: 'default',
  };
  return { kubeconfig: env.KUBECONFIG, temporalAddress: env.TEMPORAL_ADDRESS, webUi: `http://127.0.0.1:${p.temporalUi}`, env };
}

export interface ComponentStatus {
  name: string;
  pid?: number;
  healthy: boolean;
  /** Why it is not running, when the sandbox knows (the real node on a machine that cannot run it). */
  detail?: string;
}

function componentStatus(list: Component[]): Promise<ComponentStatus[]> {
  return Promise.all(
    list.map(async (c) => {
      const pid = runningPid(c.name);
      const healthy = pid !== undefined && (c.health === undefined || (await httpOk(c.health)));
      return { name: c.name, pid, healthy };
    }),
  );
}

/**
 * The control plane's components, then the real node's: once it has been started (until `down`),
 * or why it could not be. A sandbox that never started the node (`VERDICT_REAL_NODE=0`, or one
 * started before the node existed) shows none, so `status` still answers 0 for it.
 */
export async function status(): Promise<ComponentStatus[]> {
  const p = ports();
  const rows = await componentStatus(components(p));
  const unavailable = realNodeUnavailable();
  if (unavailable && realNodeWanted()) return [...rows, { name: 'real-node', healthy: false, detail: `unavailable: ${unavailable}` }];
  const node = nodeComponents(p);
  return node.some((c) => wasStarted(c.name)) ? [...rows, ...(await componentStatus(node))] : rows;
}

/**
 * The control plane is up. The real node is left out on purpose: test runs decide from this
 * whether they started the sandbox (and so stop it afterwards), and a node that is missing or
 * cannot run here must never make a run stop a shared sandbox. `up` adds a missing node.
 */
export async function isUp(): Promise<boolean> {
  return (await componentStatus(components(ports()))).every((s) => s.healthy);
}

/** The real node's components are all healthy. */
export async function realNodeUp(): Promise<boolean> {
  return (await componentStatus(nodeComponents(ports()))).every((s) => s.healthy);
}

/** Starts the sandbox, or reuses it when every component is already healthy. */
export async function up(opts: SandboxOptions = {}): Promise<SandboxInfo & { reused: boolean }> {
  const log = opts.log ?? (() => {});
  if (opts.build) buildMissingBinaries({ nodePackages: realNodeWanted() });
  requireBinaries(allBinaries);
  const p = ports();
  const reused = await isUp();
  if (reused) {
    log('sandbox already up: reusing it');
  } else {
    await down(); // a half-started sandbox: start clean, keep the data
    mkdirSync(stateDir(), { recursive: true });
    ensurePki();
    writeKubeconfig(p.apiserver);
    for (const c of components(p)) await startComponent(c, p, log);
  }
  // Idempotent, and a reused sandbox may have been asked for more nodes.
  await registerNodes(Math.max(2, opts.workers ?? 2), p.kubelet, log);
  // Added to a running control plane too: starting the node never restarts the other servers.
  if (realNodeWanted()) {
    await ensureRealNode(p, realNodeUp, { startComponent: (c) => startComponent(c, p, log), kubectl, waitFor, log });
  }
  if (!reused) log(`sandbox up (state in ${stateDir()})`);
  return { ...sandboxInfo(p), reused };
}

async function startComponent(c: Component, p: Ports, log: (line: string) => void): Promise<void> {
  for (const name of c.listens) {
    if (await portInUse(p[name])) {
      const envName = `VERDICT_${name.replace(/[A-Z]/g, (ch) => `_${ch}`).toUpperCase()}_PORT`;
      throw new Error(`port ${p[name]} (${c.name}) is already in use by another process: stop it, or move the sandbox with ${envName}=<port>`);
    }
  }
  log(`starting ${c.name}...`);
  start(c);
  const hint = `see ${logFile(c.name)}`;
  const alive = () => runningPid(c.name) !== undefined;
  if (c.health) {
    await waitFor(c.name, async () => alive() && (await httpOk(c.health!)), 90_000, hint);
  } else {
    // No health endpoint we can reach without credentials: it must at least stay up.
    await new Promise((r) => setTimeout(r, 500));
    if (!alive()) throw new Error(`${c.name} exited at start; ${hint}`);
  }
}

export function kubectl(args: string[], input?: string): string {
  return execFileSync(binaryPath('kubectl'), [`--kubeconfig=${paths.kubeconfig()}`, ...args], {
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

async function registerNodes(workers: number, kubeletPort: number, log: (line: string) => void): Promise<void> {
  log(`registering ${workers + 1} kwok nodes (one GPU)...`);
  const list = { apiVersion: 'v1', kind: 'List', items: nodeManifests(workers, kubeletPort) };
  kubectl(['apply', '--server-side', '--field-manager=verdict-sandbox', '-f', '-'], JSON.stringify(list));
  await waitFor(
    'kwok nodes',
    () => {
      const out = kubectl(['get', 'nodes', '-l', 'app.kubernetes.io/part-of=verdict-sandbox', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}']);
      const ready = out.split(' ').filter((s) => s === 'True').length;
      return ready === workers + 1;
    },
    60_000,
    `see ${logFile('kwok')}`,
  );
  // The default ServiceAccount appearing proves the controller-manager is working.
  await waitFor('controller-manager', () => kubectl(['get', 'serviceaccount', 'default', '--ignore-not-found', '-o', 'name']).trim() !== '', 60_000, `see ${logFile('kube-controller-manager')}`);
}

/** Stops every component. The data (etcd, Temporal's database) stays unless `purge` is set. */
export async function down(opts: { purge?: boolean } = {}): Promise<void> {
  await stopRealNode(); // first, while the apiserver still answers; a no-op when it never ran
  for (const c of components(ports()).reverse()) await stop(c.name);
  if (opts.purge) rmSync(stateDir(), { recursive: true, force: true });
}

/** Stops one component and starts it again on the same data (for crash and restart tests). */
export async function restart(name: string, opts: { downtimeMs?: number } = {}): Promise<void> {
  const p = ports();
  const c = [...components(p), ...nodeComponents(p)].find((x) => x.name === name);
  if (!c) throw new Error(`no sandbox component named ${name}`);
  await stop(name);
  if (opts.downtimeMs) await new Promise((r) => setTimeout(r, opts.downtimeMs));
  await startComponent(c, p, () => {});
}
