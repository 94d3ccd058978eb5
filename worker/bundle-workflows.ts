// `npm run build` runs this after tsc: it bundles the compiled workflows once, into
// dist/workflow-bundle.js, so a production worker starts without running webpack; and again with
// the failure converter that encodes failure messages, for workers with a payload codec.
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { encodedFailuresPath } from '../src/codec';
import { encodedFailuresBundlePath, workflowBundlePath, workflowInterceptorModules } from './worker';

async function bundle(path: string, failureConverterPath?: string): Promise<void> {
  const started = Date.now();
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows'), workflowInterceptorModules, failureConverterPath, logger: quiet });
  writeFileSync(path, code);
  console.error(`workflow bundle: ${path} (${Math.round(code.length / 1024)} KiB, ${Date.now() - started} ms)`);
}

async function main(): Promise<void> {
  await bundle(workflowBundlePath);
  await bundle(encodedFailuresBundlePath, encodedFailuresPath);
}

const silent = () => undefined;
const quiet = { log: silent, trace: silent, debug: silent, info: silent, warn: (m: string) => console.error(`bundle: ${m}`), error: (m: string) => console.error(`bundle: ${m}`) };

main().catch((err: unknown) => {
  console.error(`workflow bundle failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
