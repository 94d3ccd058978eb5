// Runs around every integration test: creates its namespace, then fails the test if it left any
// object labelled app.kubernetes.io/managed-by=verdict behind (and removes those objects).
import { randomBytes } from 'node:crypto';
import { clients } from './k8s';
import { settledLeftovers } from './leftovers';
import { setTestNamespace, testNamespace } from './namespace';
import { labelKeys, managedBySelector } from '../../src/core/labels';

beforeEach(async () => {
  const name = `vt-${randomBytes(4).toString('hex')}`;
  await clients().core.createNamespace({ body: { metadata: { name, labels: { 'verdict.dev/test': 'true' } } } });
  setTestNamespace(name);
});

afterEach(async () => {
  const namespace = testNamespace();
  setTestNamespace(undefined);
  const c = clients();
  const found = await settledLeftovers(c, namespace);
  await removeClusterScoped(namespace);
  await c.core.deleteNamespace({ name: namespace, propagationPolicy: 'Background' });
  if (found.length > 0) throw new Error(`the test left objects labelled ${managedBySelector}:\n  ${found.join('\n  ')}`);
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
