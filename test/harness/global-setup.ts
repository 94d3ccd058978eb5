// Starts the sandbox once per test run, or reuses a running one, and points the test workers at it.
import { isUp, sandboxInfo, up } from '../../src/sandbox/sandbox';

export default async function globalSetup(): Promise<void> {
  const reused = await isUp();
  if (!reused) {
    console.log('\n[sandbox] starting Temporal and Kubernetes for the integration tests...');
    await up({ log: (l) => console.log(`[sandbox] ${l}`) });
  }
  (globalThis as { sandboxStartedByTests?: boolean }).sandboxStartedByTests = !reused;
  Object.assign(process.env, sandboxInfo().env);
}
