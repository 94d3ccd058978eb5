// The sandbox's state directory and ports. Ports can be moved with VERDICT_<NAME>_PORT.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function stateDir(): string {
  return process.env.VERDICT_SANDBOX_DIR ?? join(homedir(), '.verdict', 'sandbox');
}

export const defaultPorts = {
  temporal: 7233,
  temporalUi: 8233,
  etcd: 12379,
  etcdPeer: 12380,
  apiserver: 16443,
  controllerManager: 20257,
  scheduler: 20259,
  kubelet: 20250,
  /** The real node's local OCI registry. */
  registry: 20500,
  /** A second one that needs a login: for imagePullSecrets. */
  privateRegistry: 20501,
} as const;

export type PortName = keyof typeof defaultPorts;
export type Ports = Record<PortName, number>;

export function ports(): Ports {
  const out = { ...defaultPorts } as Ports;
  for (const name of Object.keys(defaultPorts) as PortName[]) {
    const env = process.env[`VERDICT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_PORT`];
    if (env) out[name] = Number(env);
  }
  return out;
}

export const paths = {
  pki: () => join(stateDir(), 'pki'),
  logs: () => join(stateDir(), 'logs'),
  pids: () => join(stateDir(), 'pids'),
  etcdData: () => join(stateDir(), 'etcd'),
  temporalDb: () => join(stateDir(), 'temporal.db'),
  kubeconfig: () => join(stateDir(), 'kubeconfig'),
};
