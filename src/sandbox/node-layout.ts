// The real node's names, addresses, files and binaries. Everything host-visible (the network
// namespace, the host end of the veth, its /30, the cgroup root) is derived from the state
// directory, so two sandboxes on one machine never share any of it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { binaryPath, cacheDir, pinnedVersions, repoRoot } from './binaries';
import { stateDir } from './layout';

export const nodeName = 'verdict-real-1';
/** The label that places a validator on the real node, and the taint that keeps others off it. */
export const realNodeLabel = { key: 'verdict.dev/node', value: 'real' } as const;
export const realNodeTaint = { key: realNodeLabel.key, value: realNodeLabel.value, effect: 'NoSchedule' } as const;

/** The registry name in image references: containerd maps it to the sandbox's registry (certs.d). */
export const registryHost = 'registry.verdict.local';
/** The registry that needs a login (privateRegistryLogin): pulls from it need an imagePullSecret. */
export const privateRegistryHost = 'private.registry.verdict.local';
/**
 * validator-base again, in the private registry under two tags: one pulled with a login, one never
 * (a node that pulled an image once would reuse it for any pod, IfNotPresent, login or not).
 */
export const privateImages = { login: 'verdict/private-base:1', noLogin: 'verdict/private-base:no-login' } as const;
export const privateImageRef = (repoTag: string) => `${privateRegistryHost}/${repoTag}`;
export const privateRegistryUser = 'verdict';
export const nodeImages = {
  pause: 'verdict/pause:1',
  validatorBase: 'verdict/validator-base:1',
  /** validator-base plus examples/validator-template/validate.sh as its entrypoint. */
  validatorTemplate: 'verdict/validator-template:1',
} as const;
/** The template validator's script, built into nodeImages.validatorTemplate. */
export const validatorTemplateScript = () => join(repoRoot, 'examples', 'validator-template', 'validate.sh');
export const imageRef = (repoTag: string) => `${registryHost}/${repoTag}`;

/** Pods' addresses, on the bridge inside the node's network namespace. */
export const podSubnet = { cidr: '10.88.0.0/24', gateway: '10.88.0.1' } as const;

function instanceId(): string {
  return createHash('sha256').update(stateDir()).digest('hex').slice(0, 6);
}

export function nodeNet() {
  const id = instanceId();
  // One /30 per sandbox in 172.30.0.0/16: the host end of the veth and the node's address.
  const third = parseInt(id.slice(0, 2), 16);
  return {
    netns: `verdict-${id}`,
    netnsPath: `/run/netns/verdict-${id}`,
    hostVeth: `vh-${id}`,
    nodeVeth: `vn-${id}`,
    hostIp: `172.30.${third}.1`,
    nodeIp: `172.30.${third}.2`,
    prefix: 30,
    cgroupRoot: `/verdict-${id}`,
  };
}

const nodeDir = () => join(stateDir(), 'node');
export const nodePaths = {
  dir: nodeDir,
  /** Wiped at every node start: a fresh node each time. */
  runtime: () => join(nodeDir(), 'run'),
  containerdSocket: () => join(nodeDir(), 'run', 'containerd.sock'),
  containerdConfig: () => join(nodeDir(), 'containerd.toml'),
  certsDir: () => join(nodeDir(), 'certs.d'),
  cniConfDir: () => join(nodeDir(), 'cni-conf'),
  kubeletConfig: () => join(nodeDir(), 'kubelet.yaml'),
  kubeletKubeconfig: () => join(nodeDir(), 'kubelet.kubeconfig'),
  sysctls: () => join(nodeDir(), 'sysctl'),
  /** Why the node is not running, when `up` could not start it. */
  unavailable: () => join(nodeDir(), 'unavailable'),
  registryConfig: () => join(stateDir(), 'registry.yml'),
  registryData: () => join(stateDir(), 'registry'),
  privateRegistryConfig: () => join(stateDir(), 'registry-private.yml'),
  privateRegistryData: () => join(stateDir(), 'registry-private'),
  /** The private registry's password (generated once, mode 0600) and its bcrypt htpasswd file. */
  privateRegistryPassword: () => join(stateDir(), 'registry-private.password'),
  privateRegistryHtpasswd: () => join(stateDir(), 'registry-private.htpasswd'),
};

/** Same key as `scripts/build-node-tools.sh --key`: a hash of sandbox/nodetool's files. */
export function nodetoolKey(): string {
  const root = join(repoRoot, 'sandbox', 'nodetool');
  const files = listFiles(root).map((f) => `./${relative(root, f)}`).sort();
  const lines = files.map((f) => `${createHash('sha256').update(readFileSync(join(root, f))).digest('hex')}  ${f}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex').slice(0, 12);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

export function nodeBinaries() {
  const key = nodetoolKey();
  return {
    kubelet: join(cacheDir(), 'bin', `kubelet-${pinnedVersions().KUBERNETES_VERSION}`),
    registry: join(cacheDir(), 'bin', `registry-${pinnedVersions().REGISTRY_VERSION}`),
    nodetool: join(cacheDir(), 'bin', `verdict-nodetool-${key}`),
    pause: join(cacheDir(), 'bin', `verdict-pause-${key}`),
    kubectl: binaryPath('kubectl'),
  };
}
