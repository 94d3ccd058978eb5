// The chart against a real API server (which validates every object and compiles every admission
// policy's expressions), the restricted Pod Security Standard as the API server enforces it, and
// the worker image's files running a worker.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { KubernetesObject, V1ClusterRole, V1Deployment, V1Pod, V1PodSpec, V1Role } from '@kubernetes/client-node';
import { temporal } from '@temporalio/proto';
import { renderChart, testRelease } from '../harness/chart';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { jobContext, simulated } from '../harness/activities';
import { withClient } from '../harness/temporal';
import { eventually } from '../harness/eventually';
import { buildJob } from '../../src/core/job';
import { clusterRoleRules, namespaceRules } from '../../src/core/permissions';
import { labelKeys, managedBySelector } from '../../src/core/labels';
import { repoRoot } from '../../src/sandbox/binaries';

const read = <T extends KubernetesObject>(o: KubernetesObject) => clients().objects.read<T>(o as T & { metadata: { name: string } });

test('the chart applies to the API server, every object as rendered, and deletes cleanly', async () => {
  const namespace = testNamespace();
  const runNamespace = `${namespace}-run`;
  const release = testRelease(namespace, { policy: { allowedNamespaces: [namespace, runNamespace] } });
  try {
    expect(release.objects.map((o) => o.kind).sort()).toEqual(
      ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'Namespace', 'Role', 'Role', 'RoleBinding', 'RoleBinding', 'Service', 'ServiceAccount']
        .concat(Array(3).fill('ValidatingAdmissionPolicy'), Array(3).fill('ValidatingAdmissionPolicyBinding'))
        .sort(),
    );
    const applied = release.install();
    expect(applied.stderr).toBe('');
    expect(applied.status).toBe(0);

    // What the API server holds is what Helm rendered (defaults aside).
    for (const o of release.objects) expect(await read(o)).toMatchObject(o.kind === 'Deployment' ? { spec: { template: { spec: { serviceAccountName: release.worker } } } } : (o as object));
    const role = await read<V1Role>(release.objects.find((o) => o.kind === 'Role' && o.metadata!.namespace === runNamespace)!);
    expect(role.rules).toEqual(namespaceRules());
    const clusterRole = await read<V1ClusterRole>(release.objects.find((o) => o.kind === 'ClusterRole')!);
    expect(clusterRole.rules).toEqual(clusterRoleRules([namespace, runNamespace]));

    const deleted = release.uninstall();
    expect(deleted.status).toBe(0);
    const clusterSelector = `${managedBySelector},${labelKeys.namespace}=${namespace}`;
    expect((await clients().rbac.listClusterRole({ labelSelector: clusterSelector })).items).toEqual([]);
    expect((await clients().rbac.listClusterRoleBinding({ labelSelector: clusterSelector })).items).toEqual([]);
    expect((await clients().objects.list('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', undefined, undefined, undefined, undefined, undefined, clusterSelector)).items).toEqual([]);
  } finally {
    release.uninstall();
  }
});

test('the restricted Pod Security Standard admits the worker and unprivileged validators, and refuses privileged ones', async () => {
  const namespace = testNamespace();
  const { core } = clients();
  const ns = await core.readNamespace({ name: namespace });
  ns.metadata!.labels = { ...ns.metadata!.labels, 'pod-security.kubernetes.io/enforce': 'restricted' };
  await core.replaceNamespace({ name: namespace, body: ns });

  // Dry runs: admission (Pod Security included) decides, nothing is created.
  const admit = (name: string, spec: V1PodSpec) => core.createNamespacedPod({ namespace, dryRun: 'All', body: { metadata: { name }, spec: { ...spec, serviceAccountName: 'default' } } satisfies V1Pod });
  const refusal = (name: string, spec: V1PodSpec) => admit(name, spec).then(() => 'admitted', (err: unknown) => (JSON.parse(String((err as { body?: string }).body)) as { message: string }).message);

  const workerPod = renderChart().find((o): o is V1Deployment => o.kind === 'Deployment')!.spec!.template.spec!;
  await eventually(() => admit('worker', workerPod).then(() => true), 'the namespace to enforce the restricted standard');
  const escalated = { ...workerPod, containers: workerPod.containers.map((c) => ({ ...c, securityContext: { privileged: true } })) };
  expect(await refusal('worker', escalated)).toContain('violates PodSecurity "restricted:latest"');

  const podOf = (v: ReturnType<typeof simulated>) => buildJob(v, jobContext('psa-run', namespace, v.name)).spec!.template.spec!;
  await admit('plain', podOf(simulated('plain', {})));
  const refused = await refusal('privileged', podOf(simulated('privileged', {}, { privileged: true })));
  expect(refused).toContain('violates PodSecurity "restricted:latest"');
  expect(refused).toContain('privileged');
});

/** Lays out the final stage of the Dockerfile from this checkout: its COPY lines, node_modules linked. */
function stageImage(): string {
  const stage = mkdtempSync(join(tmpdir(), 'verdict-image-'));
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const final = dockerfile.split(/^FROM /m).pop()!;
  for (const m of final.matchAll(/^COPY (?:--from=(\w+) )?(\S+) (\S+)$/gm)) {
    const [, from, src, dest] = m;
    const source = from === 'deps' ? join(repoRoot, 'node_modules') : join(repoRoot, from === 'build' ? src.replace(/^\/src\//, '') : src);
    const target = join(stage, dest.endsWith('/') ? src.split('/').pop()! : dest);
    if (!existsSync(source)) throw new Error(`the Dockerfile copies ${src}, which the build did not produce`);
    mkdirSync(dirname(target), { recursive: true });
    if (from === 'deps') symlinkSync(source, target);
    else cpSync(source, target, { recursive: true });
  }
  return stage;
}

const jsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));

test("the image's files run a worker, needing only production dependencies", async () => {
  const stage = stageImage();
  try {
    const pkg = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = new Set([...Object.keys(pkg.dependencies), ...builtinModules]);
    const needed = new Set(
      jsFiles(join(stage, 'dist'))
        .filter((f) => !f.endsWith('workflow-bundle.js'))
        .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)].map((m) => m[1].replace(/^node:/, '').split('/').slice(0, m[1].startsWith('@') ? 2 : 1).join('/'))),
    );
    expect([...needed].filter((n) => !allowed.has(n))).toEqual([]);

    // The image's entrypoint and command, from the staged files, polling a task queue of its own.
    const taskQueue = `image-${randomUUID()}`;
    const child = spawn(process.execPath, [join(stage, 'bin', 'verdict'), 'worker', '--task-queue', taskQueue], { cwd: stage, env: { ...process.env, VERDICT_METRICS_PORT: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await withClient((client) =>
        eventually(async () => {
          if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}):\n${output}`);
          const r = await client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW });
          return r.pollers.length > 0 ? true : undefined;
        }, `the staged worker to poll ${taskQueue}`, 60_000),
      );
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
});
