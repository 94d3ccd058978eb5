// Containers a cluster injects into every pod (a service mesh's init container and sidecar), on the
// sandbox's real node: the validator container's own exit decides its result. The injection is a
// real MutatingAdmissionPolicy, as a mesh's webhook would do it, limited to the test's namespace.
import { randomUUID } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { withVerdictWorker } from '../harness/verdict-worker';
import { eventually } from '../harness/eventually';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { realNodeName, requireRealNode, script, validatorBase } from '../harness/real-node';
import { runSuite } from '../../src/workflows';
import type { SuiteInput } from '../../src/core/spec';

beforeAll(requireRealNode);

interface Injected {
  name: string;
  script: string;
  /** 'Always' makes it a native sidecar (an init container that runs beside the validator). */
  restartPolicy?: 'Always';
  /** A regular container beside the validator (an injected, non-native sidecar). */
  regular?: true;
}

/**
 * The mutations that add `containers`, under the restricted Pod Security Standard. An apply
 * configuration adds each container (it may not set atomic lists); JSON patches then set its
 * command and dropped capabilities (kube-apiserver 1.36 panics converting a JSON patch's list of
 * objects, so no patch adds a container whole).
 */
function mutations(containers: Injected[]): unknown[] {
  const lists = { initContainers: containers.filter((c) => !c.regular), containers: containers.filter((c) => c.regular) };
  const applied = Object.entries(lists)
    .filter(([, cs]) => cs.length > 0)
    .map(([list, cs]) => {
      const t = `Object.spec.${list}`;
      const items = cs.map((c) => `${t}{ name: "${c.name}", image: "${validatorBase}"${c.restartPolicy ? `, restartPolicy: "${c.restartPolicy}"` : ''}, securityContext: ${t}.securityContext{ allowPrivilegeEscalation: false } }`);
      return `${list}: [${items.join(', ')}]`;
    });
  // Verdict's pods have no init containers and one container (the validator), which stays first.
  const patches = Object.entries(lists).flatMap(([list, cs]) =>
    cs.flatMap((c, i) => {
      const at = `/spec/${list}/${list === 'containers' ? i + 1 : i}`;
      return [
        `JSONPatch{ op: "add", path: "${at}/command", value: ["sh", "-c", ${JSON.stringify(c.script)}] }`,
        `JSONPatch{ op: "add", path: "${at}/securityContext/capabilities", value: Object.spec.${list}.securityContext.capabilities{ drop: ["ALL"] } }`,
      ];
    }),
  );
  return [
    { patchType: 'ApplyConfiguration', applyConfiguration: { expression: `Object{ spec: Object.spec{ ${applied.join(', ')} } }` } },
    { patchType: 'JSONPatch', jsonPatch: { expression: `[${patches.join(', ')}]` } },
  ];
}

/** Injects `containers` into every pod created in `namespace` until the returned function removes the policy. */
async function inject(namespace: string, containers: Injected[]): Promise<() => Promise<void>> {
  const name = `verdict-test-inject-${randomUUID().slice(0, 8)}`;
  const policy = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingAdmissionPolicy',
    metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      reinvocationPolicy: 'Never',
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE'] }] },
      mutations: mutations(containers),
    },
  } as KubernetesObject;
  const binding = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingAdmissionPolicyBinding',
    metadata: { name },
    spec: { policyName: name, matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } } },
  } as KubernetesObject;
  const { objects, core } = clients();
  await objects.create(policy);
  await objects.create(binding);
  // A new policy is enforced within a second or two: a dry-run pod shows when it is.
  const probe = { metadata: { name: `probe-${name}` }, spec: { containers: [{ name: 'probe', image: validatorBase }] } };
  await eventually(async () => {
    const pod = await core.createNamespacedPod({ namespace, body: probe, dryRun: 'All' });
    const names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
    return containers.every((c) => names.includes(c.name)) ? true : undefined;
  }, `policy ${name} to inject its containers`);
  return async () => {
    await objects.delete(binding);
    await objects.delete(policy);
  };
}

async function runInjected(containers: Injected[], validators: SuiteInput['validators']) {
  const namespace = testNamespace();
  const remove = await inject(namespace, containers);
  try {
    const output = await withVerdictWorker((taskQueue, client) =>
      client.workflow.execute(runSuite, { taskQueue, workflowId: `injected-${randomUUID()}`, args: [{ suite: { name: 'injected', namespace, failFast: false, validators } }] }),
    );
    expect((await clients().batch.listNamespacedJob({ namespace })).items).toEqual([]);
    return Object.fromEntries(output.report.results.tests.map((t) => [t.name, t]));
  } finally {
    await remove();
  }
}

test('an injected init container that fails: the validator never ran, and the report names the init container and its exit', async () => {
  const byName = await runInjected(
    [{ name: 'mesh-init', script: 'echo setting up the mesh; echo "iptables: permission denied" > /dev/termination-log; exit 3' }],
    [script('never-runs', 'readiness', 'echo this never runs; exit 0')],
  );
  expect(byName['never-runs']).toMatchObject({
    status: 'other',
    message: 'init container "mesh-init" exited with code 3 (Error: iptables: permission denied); the validator never ran',
    extra: { exitCode: -1, reason: 'InitContainerFailed', node: realNodeName },
  });
  expect(byName['never-runs'].stdout).toBeUndefined();
});

test("a native sidecar and an injected regular sidecar that keep running after the validator exits: the validator container's exit decides", async () => {
  const byName = await runInjected(
    [
      { name: 'mesh-proxy', script: `trap 'exit 0' TERM; echo proxy up; sleep 600 & wait`, restartPolicy: 'Always' },
      { name: 'log-shipper', script: `trap 'exit 0' TERM; echo shipping logs; sleep 600 & wait`, regular: true },
    ],
    [
      script('fails', 'readiness', 'echo checking the driver; printf "driver missing" > /dev/termination-log; exit 1', { timeout: '2m' }),
      script('passes', 'readiness', 'echo all good', { timeout: '2m' }),
    ],
  );
  expect(byName.fails).toMatchObject({ status: 'failed', message: 'driver missing', stdout: ['checking the driver'], extra: { exitCode: 1, node: realNodeName } });
  expect(byName.passes).toMatchObject({ status: 'passed', stdout: ['all good'], extra: { exitCode: 0, node: realNodeName } });
  // Decided by the validator's exit, not by its 2-minute timeout while the regular sidecar runs on.
  expect(byName.fails.extra?.reason).toBeUndefined();
});
