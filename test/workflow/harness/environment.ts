// A Temporal dev server of this test file's own (the pinned binary the sandbox uses, on a free
// port, in memory) and Verdict's real workflows on workers whose activities the test supplies.
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { binaryPath } from '../../../src/sandbox/binaries';
import { searchAttributeKeys } from '../../../temporal-config/search-attributes';

export interface WorkflowTestEnv {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundle;
}

/** Starts the dev server and bundles the workflows once; call in beforeAll, `stop` in afterAll. */
export async function startWorkflowTestEnv(): Promise<WorkflowTestEnv> {
  const [env, bundle] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: binaryPath('temporal') }, searchAttributes: Object.values(searchAttributeKeys) },
    }),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../../src/workflows'), logger: quietBundler }),
  ]);
  return { env, bundle };
}

/** Runs `fn` while a worker with `activities` polls a fresh task queue. */
export async function withWorker<T>(t: WorkflowTestEnv, activities: object, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `wf-test-${randomUUID()}`;
  const worker = await Worker.create({ connection: t.env.nativeConnection, taskQueue, workflowBundle: t.bundle, activities });
  return worker.runUntil(fn(taskQueue));
}

const noop = () => undefined;
const quietBundler = { trace: noop, debug: noop, info: noop, log: noop, warn: noop, error: (m: string) => console.error(m) };
