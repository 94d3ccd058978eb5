// A Temporal dev server of this test file's own (the pinned binary the sandbox uses, on a free
// port, in memory) and Verdict's real workflows on workers whose activities the test supplies.
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundlePath } from '@temporalio/worker';
import { binaryPath } from '../../../src/sandbox/binaries';
import { searchAttributeKeys } from '../../../temporal-config/search-attributes';
import { bundleEnv } from './bundle';

export interface WorkflowTestEnv {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundlePath;
}

/** Starts the dev server; call in beforeAll, `env.teardown()` in afterAll. */
export async function startWorkflowTestEnv(): Promise<WorkflowTestEnv> {
  const codePath = process.env[bundleEnv];
  if (!codePath) throw new Error(`${bundleEnv} is not set: run workflow tests through jest's \`workflow\` project (its globalSetup bundles the workflows)`);
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: binaryPath('temporal') }, searchAttributes: Object.values(searchAttributeKeys) },
  });
  return { env, bundle: { codePath } };
}

/** Runs `fn` while a worker with `activities` polls a fresh task queue. */
export async function withWorker<T>(t: WorkflowTestEnv, activities: object, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `wf-test-${randomUUID()}`;
  const worker = await Worker.create({ connection: t.env.nativeConnection, taskQueue, workflowBundle: t.bundle, activities });
  return worker.runUntil(fn(taskQueue));
}
