// The real node in a sandbox of its own (state and every port moved, so the shared one is not
// touched): `up` puts the node, its bridge and its pods in namespaces the sandbox made; `down`,
// with a container still running, leaves no process, mount, namespace, veth or cgroup behind.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPorts } from '../../src/sandbox/layout';
import { repoRoot } from '../../src/sandbox/binaries';
import { nodeBinaries, nodeName, nodeNet, nodetoolKey } from '../../src/sandbox/node-layout';
import { down, kubectl, status, up } from '../../src/sandbox/sandbox';
import { onRealNode, validatorBase } from '../harness/real-node';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const sysctl = (name: string) => readFileSync(`/proc/sys/${name}`, 'utf8');
const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });
const mountsMentioning = (s: string) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(s));
const cgroupDirs = (root: string) => readdirSync('/sys/fs/cgroup').filter((h) => existsSync(join('/sys/fs/cgroup', h, root)));
function processesMentioning(s: string): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        return cmd.includes(s) ? [`${pid}: ${cmd}`] : [];
      } catch {
        return [];
      }
    });
}

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'sleeper', namespace: 'default' },
  spec: {
    ...onRealNode,
    restartPolicy: 'Never',
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'sleeper',
        image: validatorBase,
        command: ['sleep', '600'],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
    ],
  },
};

test('up starts the real node in namespaces of its own; down leaves nothing of it behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-real-node-'));
  const saved = { ...process.env };
  const portEnv: Record<string, string> = {};
  for (const name of Object.keys(defaultPorts)) portEnv[`VERDICT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_PORT`] = String(await freePort());
  Object.assign(process.env, { VERDICT_SANDBOX_DIR: dir, VERDICT_REQUIRE_REAL_NODE: '1', ...portEnv });
  const kernelBefore = ['vm/overcommit_memory', 'kernel/panic', 'kernel/panic_on_oops'].map(sysctl);
  const net = nodeNet();
  try {
    await up();
    expect((await status()).filter((c) => ['registry', 'registry-private', 'node-forward', 'containerd', 'kubelet'].includes(c.name)).map((c) => [c.name, c.healthy])).toEqual([
      ['registry', true],
      ['registry-private', true],
      ['node-forward', true],
      ['containerd', true],
      ['kubelet', true],
    ]);
    kubectl(['apply', '-f', '-'], JSON.stringify(pod));
    kubectl(['wait', '--for=condition=Ready', 'pod/sleeper', '--timeout=60s']);
    const podIp = kubectl(['get', 'pod', 'sleeper', '-o', 'jsonpath={.status.podIP}']);
    expect(kubectl(['get', 'node', nodeName, '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}'])).toBe(net.nodeIp);

    // The node's address, the bridge and the pod's address exist only inside the node's namespace.
    const inside = ip('-n', net.netns, '-br', 'addr');
    expect(inside).toContain(`${net.nodeIp}/30`);
    expect(inside).toMatch(/^cni0\s+UP\s+10\.88\.0\.1\/24/m);
    const host = ip('-br', 'addr');
    expect(host).toContain(`${net.hostVeth}@`);
    expect(host).not.toContain(net.nodeIp);
    expect(host).not.toContain('cni0');
    expect(host).not.toContain(podIp);
    // The kubelet checked the kernel settings against fake files; the host's are as they were.
    expect(['vm/overcommit_memory', 'kernel/panic', 'kernel/panic_on_oops'].map(sysctl)).toEqual(kernelBefore);
    expect(cgroupDirs(net.cgroupRoot)).not.toEqual([]);
  } finally {
    await down();
    process.env = saved;
  }
  expect(existsSync(net.netnsPath)).toBe(false);
  expect(existsSync(`/sys/class/net/${net.hostVeth}`)).toBe(false);
  expect(cgroupDirs(net.cgroupRoot)).toEqual([]);
  expect(mountsMentioning(dir)).toEqual([]);
  expect(mountsMentioning(net.netns)).toEqual([]);
  expect(processesMentioning(dir)).toEqual([]);
  expect(processesMentioning('sleep 600')).toEqual([]);
  rmSync(dir, { recursive: true, force: true });
});

test('the sandbox finds the node tools under the same source key scripts/build-node-tools.sh builds them with', () => {
  const scriptKey = execFileSync(join(repoRoot, 'scripts', 'build-node-tools.sh'), ['--key'], { encoding: 'utf8' }).trim();
  expect(nodetoolKey()).toBe(scriptKey);
  expect(nodeBinaries().nodetool).toMatch(new RegExp(`verdict-nodetool-${scriptKey}$`));
});
