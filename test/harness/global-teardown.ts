// After the tests: nothing they labelled ours may remain anywhere in the cluster.
// A sandbox this run started is stopped; one that was already running is left as it was.
import { down } from '../../src/sandbox/sandbox';
import { settledLeftovers } from './leftovers';
import { clients } from './k8s';

export default async function globalTeardown(): Promise<void> {
  const { sandboxStartedByTests, oursBeforeTests = [] } = globalThis as { sandboxStartedByTests?: boolean; oursBeforeTests?: string[] };
  // Namespaces deleted by the last tests may still be terminating.
  const found = (await settledLeftovers(clients(), undefined, 60_000)).filter((o) => !oursBeforeTests.includes(o));
  if (sandboxStartedByTests) await down();
  if (found.length > 0) throw new Error(`objects labelled app.kubernetes.io/managed-by=verdict remain after the tests:\n  ${found.join('\n  ')}`);
}
