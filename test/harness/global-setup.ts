// Starts the sandbox once per test run, or reuses a running one, and points the test workers at it.
import { isUp, sandboxInfo, up } from '../../src/sandbox/sandbox';
import { clients } from './k8s';
import { leftovers } from './leftovers';

export default async function globalSetup(): Promise<void> {
  const reused = await isUp();
  if (!reused) {
    console.log('\n[sandbox] starting Temporal and Kubernetes for the integration tests...');
    await up({ log: (l) => console.log(`[sandbox] ${l}`) });
  }
  Object.assign(process.env, sandboxInfo().env);
  // What was labelled ours before the tests (a demo run's namespace, say) is not theirs to answer for.
  Object.assign(globalThis, { sandboxStartedByTests: !reused, oursBeforeTests: await leftovers(clients()) });
}
