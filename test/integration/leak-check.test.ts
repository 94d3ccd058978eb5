// The leak check itself must be able to fail.
import { clients } from '../harness/k8s';
import { leftovers } from '../harness/leftovers';
import { testNamespace } from '../harness/namespace';
import { managedBy } from '../../src/core/labels';

test('objects labelled ours are found until they are deleted', async () => {
  const namespace = testNamespace();
  const { core } = clients();
  await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'ours', labels: { [managedBy.key]: managedBy.value } } } });
  await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'not-ours' } } });
  expect(await leftovers(clients(), namespace)).toEqual([`ConfigMap/${namespace}/ours`]);
  await core.deleteNamespacedConfigMap({ namespace, name: 'ours' });
  expect(await leftovers(clients(), namespace)).toEqual([]);
});
