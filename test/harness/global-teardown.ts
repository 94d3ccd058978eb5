// After every integration test: nothing labelled ours may remain anywhere in the cluster.
// A sandbox this run started is stopped; one that was already running is left as it was.
import { down } from '../../src/sandbox/sandbox';
import { leftovers } from './leftovers';
import { clients } from './k8s';

export default async function globalTeardown(): Promise<void> {
  const deadline = Date.now() + 60_000;
  let found = await leftovers(clients());
  // Namespaces deleted by the last tests may still be terminating.
  while (found.length > 0 && found.every((o) => o.startsWith('Namespace/') || o.startsWith('Pod/')) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    found = await leftovers(clients());
  }
  if ((globalThis as { sandboxStartedByTests?: boolean }).sandboxStartedByTests) await down();
  if (found.length > 0) throw new Error(`objects labelled app.kubernetes.io/managed-by=verdict remain after the tests:\n  ${found.join('\n  ')}`);
}
