// The real node's configuration files: containerd, its registry hosts, the CNI network, the
// kubelet, its kubeconfig, the fake sysctl files and the registry's config.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ports } from './layout';
import { imageRef, nodeImages, nodeName, nodeNet, nodePaths, podSubnet, privateRegistryHost, realNodeTaint, registryHost } from './node-layout';
import { pkiFile } from './pki';
import { kubeconfigText } from './kubeconfig';

export function containerdConfig(): string {
  // Paths as seen inside the node's mount namespace (sandbox/node-namespace.sh): /var/lib/containerd
  // is the node's own directory, /run a private tmpfs.
  return `version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "${nodePaths.containerdSocket()}"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${imageRef(nodeImages.pause)}"
  # root here lacks CAP_SYS_RESOURCE: without this every pod sandbox fails to start.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${nodePaths.cniConfDir()}"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "${nodePaths.certsDir()}"
[plugins."io.containerd.internal.v1.opt"]
  path = "/var/lib/containerd/opt"
`;
}

/** containerd pulls registry.verdict.local/... (and private.registry.verdict.local/...) from the sandbox's registries, over plain HTTP. */
export function registryHosts(registryPort: number): string {
  const server = `http://127.0.0.1:${registryPort}`;
  return `server = "${server}"\n[host."${server}"]\n  capabilities = ["pull", "resolve"]\n`;
}

export function cniConfig(): string {
  return JSON.stringify(
    {
      cniVersion: '0.4.0',
      name: 'verdict',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni0',
          // The gateway and forwarding live in the node's own network namespace; no masquerade, no iptables.
          isGateway: true,
          ipMasq: false,
          ipam: { type: 'host-local', ranges: [[{ subnet: podSubnet.cidr, gateway: podSubnet.gateway }]], routes: [{ dst: '0.0.0.0/0' }] },
        },
      ],
    },
    null,
    2,
  );
}

/** The kubelet checks these (protectKernelDefaults) instead of writing them: fake files, bind-mounted read-only. */
export const checkedSysctls: Record<string, string> = {
  'vm/overcommit_memory': '1',
  'vm/panic_on_oom': '0',
  'kernel/panic': '10',
  'kernel/panic_on_oops': '1',
  'kernel/keys/root_maxkeys': '1000000',
  'kernel/keys/root_maxbytes': '25000000',
};

export function kubeletConfig(cgroupV2: boolean): string {
  const net = nodeNet();
  const config = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: net.nodeIp,
    port: 10250,
    readOnlyPort: 0,
    // On the node's address so the sandbox can probe it from the host.
    healthzBindAddress: net.nodeIp,
    healthzPort: 10248,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: pkiFile('ca.crt') } },
    authorization: { mode: 'Webhook' },
    containerRuntimeEndpoint: `unix://${nodePaths.containerdSocket()}`,
    cgroupDriver: 'cgroupfs',
    cgroupRoot: net.cgroupRoot,
    // kubelet 1.35+ refuses cgroup v1 unless told; the setting is dropped on a pure cgroup2 host.
    ...(cgroupV2 ? {} : { failCgroupV1: false }),
    // Never add KUBE-FIREWALL rules (with DROP) to the host's iptables.
    makeIPTablesUtilChains: false,
    // Check the kernel settings instead of writing them (the node's are fake files: checkedSysctls).
    protectKernelDefaults: true,
    // The disk is shared with everything else: never evict pods or garbage-collect the local images.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { 'memory.available': '0%', 'nodefs.available': '0%', 'nodefs.inodesFree': '0%', 'imagefs.available': '0%', 'imagefs.inodesFree': '0%' },
    // Lowering its own OOM score needs CAP_SYS_RESOURCE, which root lacks here.
    oomScoreAdj: 0,
    registerWithTaints: [realNodeTaint],
    maxPods: 50,
    serializeImagePulls: false,
    resolvConf: '/etc/resolv.conf',
    syncFrequency: '10s',
    nodeStatusUpdateFrequency: '2s',
    nodeStatusReportFrequency: '10s',
    shutdownGracePeriod: '0s',
    failSwapOn: false,
  };
  return JSON.stringify(config, null, 2);
}

export const kubeletKubeconfig = (apiserverPort: number): string => kubeconfigText(apiserverPort, nodeName, 'node');

/** A registry's config; with `htpasswd`, every request needs a login (basic auth). */
export function registryConfig(registryPort: number, dataDir: string, htpasswd?: string): string {
  const auth = htpasswd ? `auth:\n  htpasswd: { realm: verdict-sandbox-private, path: ${htpasswd} }\n` : '';
  return `version: 0.1
log: { level: warn, accesslog: { disabled: true } }
storage:
  filesystem: { rootdirectory: ${dataDir} }
  delete: { enabled: true }
http:
  addr: 127.0.0.1:${registryPort}
  secret: verdict-sandbox-registry
${auth}`;
}

/** Writes every file the node reads (the kubelet's client certificate comes from pki.ts). */
export function writeNodeConfig(p: Ports, cgroupV2: boolean): void {
  const hosts = { [registryHost]: p.registry, [privateRegistryHost]: p.privateRegistry };
  for (const d of [nodePaths.cniConfDir(), nodePaths.sysctls(), nodePaths.registryData(), nodePaths.privateRegistryData()]) mkdirSync(d, { recursive: true });
  writeFileSync(nodePaths.containerdConfig(), containerdConfig());
  for (const [host, port] of Object.entries(hosts)) {
    mkdirSync(join(nodePaths.certsDir(), host), { recursive: true });
    writeFileSync(join(nodePaths.certsDir(), host, 'hosts.toml'), registryHosts(port));
  }
  writeFileSync(join(nodePaths.cniConfDir(), '10-verdict.conflist'), cniConfig());
  writeFileSync(nodePaths.kubeletConfig(), kubeletConfig(cgroupV2));
  writeFileSync(nodePaths.kubeletKubeconfig(), kubeletKubeconfig(p.apiserver), { mode: 0o600 });
  writeFileSync(nodePaths.registryConfig(), registryConfig(p.registry, nodePaths.registryData()));
  writeFileSync(nodePaths.privateRegistryConfig(), registryConfig(p.privateRegistry, nodePaths.privateRegistryData(), nodePaths.privateRegistryHtpasswd()));
  for (const [name, value] of Object.entries(checkedSysctls)) writeFileSync(join(nodePaths.sysctls(), name.replace(/\//g, '.')), `${value}\n`);
}
