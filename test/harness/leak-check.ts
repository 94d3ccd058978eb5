// Runs around every integration test: creates its namespace, then fails the test if it left any
// object labelled app.kubernetes.io/managed-by=verdict behind (and removes those objects), or any
// label, annotation or field ownership of Verdict's on the test namespace, which Verdict did not create.
import { randomBytes } from 'node:crypto';
import { clients } from './k8s';
import { marksOf, settledLeftovers, testNamespaceLabel } from './leftovers';
import { setTestNamespace, testNamespace } from './namespace';
import { labelKeys, managedBySelector } from '../../src/core/labels';

beforeEach(async () => {
  const name = `vt-${randomBytes(4).toString('hex')}`;
  await clients().core.createNamespace({ body: { metadata: { name, labels: { [testNamespaceLabel]: 'true' } } } });
  setTestNamespace(name);
});

afterEach(async () => {
  const namespace = testNamespace();
  setTestNamespace(undefined);
  const c = clients();
  const own = await c.core.readNamespace({ name: namespace }).catch(() => undefined); // a test may delete it
  const found = [...(await settledLeftovers(c, namespace)), ...(own ? marksOf(own) : [])];
  await removeClusterScoped(namespace);
  await c.core.deleteNamespace({ name: namespace, propagationPolicy: 'Background' });
  if (found.length > 0) throw new Error(`the test left objects labelled ${managedBySelector}, or marks of Verdict's on its namespace:\n  ${found.join('\n  ')}`);
});

async function removeClusterScoped(namespace: string): Promise<void> {
  const c = clients();
  const labelSelector = `${managedBySelector},${labelKeys.namespace}=${namespace}`;
  await c.rbac.deleteCollectionClusterRoleBinding({ labelSelector });
  await c.rbac.deleteCollectionClusterRole({ labelSelector });
  const namespaces = await c.core.listNamespace({ labelSelector: managedBySelector });
  for (const n of namespaces.items) {
    if (n.metadata?.name?.startsWith(`${namespace}-`)) await c.core.deleteNamespace({ name: n.metadata.name });
  }
}
