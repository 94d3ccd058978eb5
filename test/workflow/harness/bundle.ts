// Bundles the workflows (from source) once for every workflow test file: webpack takes seconds,
// a dev server one. Jest's globalSetup and globalTeardown for the `workflow` project.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowInterceptorModules } from '../../../worker/worker';

export const bundleEnv = 'VERDICT_TEST_WORKFLOW_BUNDLE';

export async function bundleOnce(): Promise<void> {
  const silent = () => undefined;
  const logger = { trace: silent, debug: silent, info: silent, log: silent, warn: (m: string) => console.error(`bundle: ${m}`), error: (m: string) => console.error(`bundle: ${m}`) };
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../../src/workflows'), workflowInterceptorModules, logger });
  const path = join(mkdtempSync(join(tmpdir(), 'verdict-workflow-tests-')), 'workflow-bundle.js');
  writeFileSync(path, code);
  process.env[bundleEnv] = path;
}

export function removeBundle(): void {
  const path = process.env[bundleEnv];
  if (path) rmSync(dirname(path), { recursive: true, force: true });
}
