// The sandbox's server processes, in start order, with their command lines and health checks.
import { devServer, searchAttributes } from '../../temporal-config';
import { join } from 'node:path';
import { binaryPath, repoRoot } from './binaries';
import { paths, stateDir, type PortName, type Ports } from './layout';
import { pkiFile } from './pki';
import type { ProcessSpec } from './processes';

export interface Component extends ProcessSpec {
  /** Ports this component listens on, checked free before it starts. */
  listens: PortName[];
  /** An HTTP(S) URL that answers 200 once the component is ready. */
  health?: string;
}

const ip = '127.0.0.1';

export function components(p: Ports): Component[] {
  const kubeconfig = paths.kubeconfig();
  return [
    {
      name: 'etcd',
      command: binaryPath('etcd'),
      listens: ['etcd', 'etcdPeer'],
      health: `http://${ip}:${p.etcd}/health`,
      args: [
        '--name=verdict',
        `--data-dir=${paths.etcdData()}`,
        `--listen-client-urls=http://${ip}:${p.etcd}`,
        `--advertise-client-urls=http://${ip}:${p.etcd}`,
        `--listen-peer-urls=http://${ip}:${p.etcdPeer}`,
        `--initial-advertise-peer-urls=http://${ip}:${p.etcdPeer}`,
        `--initial-cluster=verdict=http://${ip}:${p.etcdPeer}`,
        // A disposable sandbox: speed over crash durability of the disk.
        '--unsafe-no-fsync',
        '--quota-backend-bytes=4294967296',
        '--log-level=warn',
      ],
    },
    {
      name: 'kube-apiserver',
      command: binaryPath('kube-apiserver'),
      listens: ['apiserver'],
      health: `https://${ip}:${p.apiserver}/readyz`,
      args: [
        `--etcd-servers=http://${ip}:${p.etcd}`,
        `--bind-address=${ip}`,
        `--advertise-address=${ip}`,
        `--secure-port=${p.apiserver}`,
        `--tls-cert-file=${pkiFile('apiserver.crt')}`,
        `--tls-private-key-file=${pkiFile('apiserver.key')}`,
        `--client-ca-file=${pkiFile('ca.crt')}`,
        `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
        `--service-account-key-file=${pkiFile('sa.pub')}`,
        `--service-account-signing-key-file=${pkiFile('sa.key')}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        '--authorization-mode=Node,RBAC',
        '--allow-privileged=true',
        // The apiserver reaches the nodes' kubelet API (kubelet-logs) with the admin client certificate.
        `--kubelet-client-certificate=${pkiFile('admin.crt')}`,
        `--kubelet-client-key=${pkiFile('admin.key')}`,
        '--kubelet-preferred-address-types=InternalIP',
        // Pods leave a lost node 10 s after it is marked unreachable (default 300 s), so the
        // node-loss tests take seconds.
        '--default-not-ready-toleration-seconds=10',
        '--default-unreachable-toleration-seconds=10',
        '--profiling=false',
        '--v=1',
      ],
    },
    {
      name: 'kube-controller-manager',
      command: binaryPath('kube-controller-manager'),
      listens: ['controllerManager'],
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        `--bind-address=${ip}`,
        `--secure-port=${p.controllerManager}`,
        // Every default controller: job, garbage-collector, ttl-after-finished, namespace, serviceaccount...
        '--controllers=*',
        `--service-account-private-key-file=${pkiFile('sa.key')}`,
        `--root-ca-file=${pkiFile('ca.crt')}`,
        '--leader-elect=false',
        '--concurrent-job-syncs=20',
        '--concurrent-gc-syncs=40',
        '--kube-api-qps=200',
        '--kube-api-burst=400',
        // A node silent for 20 s is lost (default 50 s); kwok renews its nodes' leases every 5 s
        // (--node-lease-duration-seconds below) and the real kubelet every 10 s, well within it.
        '--node-monitor-grace-period=20s',
        '--node-monitor-period=2s',
        '--v=1',
      ],
    },
    {
      name: 'kube-scheduler',
      command: binaryPath('kube-scheduler'),
      listens: ['scheduler'],
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        `--bind-address=${ip}`,
        `--secure-port=${p.scheduler}`,
        '--leader-elect=false',
        '--v=1',
      ],
    },
    {
      // Simulates the nodes and pod lifecycles (sandbox/kwok-stages.yaml). It serves no kubelet
      // API of its own: kubelet-logs below answers the apiserver's logs requests.
      name: 'kwok',
      command: binaryPath('kwok'),
      listens: [],
      env: { KWOK_WORKDIR: join(stateDir(), 'kwok') },
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--config=${join(repoRoot, 'sandbox', 'kwok-stages.yaml')}`,
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        `--node-ip=${ip}`,
        '--cidr=10.244.0.0/16',
        // Lease renewed every quarter of this: 5 s, a quarter of the controller-manager's grace period.
        '--node-lease-duration-seconds=20',
      ],
    },
    {
      name: 'kubelet-logs',
      command: process.execPath,
      listens: ['kubelet'],
      health: `https://${ip}:${p.kubelet}/healthz`,
      args: [join(repoRoot, 'sandbox', 'kubelet-logs.js'), String(p.kubelet), `https://${ip}:${p.apiserver}`, paths.pki()],
    },
    {
      name: 'temporal',
      command: binaryPath('temporal'),
      listens: ['temporal', 'temporalUi'],
      health: `http://${ip}:${p.temporalUi}/`,
      args: [
        'server',
        'start-dev',
        `--ip=${ip}`,
        `--port=${p.temporal}`,
        `--ui-port=${p.temporalUi}`,
        `--db-filename=${paths.temporalDb()}`,
        `--namespace=${devServer.namespace}`,
        '--log-level=warn',
        ...Object.entries(searchAttributes).map(([name, type]) => `--search-attribute=${name}=${type}`),
        ...Object.entries(devServer.dynamicConfig).map(([k, v]) => `--dynamic-config-value=${k}=${JSON.stringify(v)}`),
        // The Web UI decodes encrypted payloads through `verdict codec-server` when this points at one.
        ...(process.env.VERDICT_UI_CODEC_ENDPOINT ? [`--ui-codec-endpoint=${process.env.VERDICT_UI_CODEC_ENDPOINT}`] : []),
      ],
    },
  ];
}
