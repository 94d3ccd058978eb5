// `npm run build` runs this after tsc: it bundles the compiled workflows once, into
// dist/workflow-bundle.js, so a production worker starts without running webpack.
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundlePath } from './worker';

async function main(): Promise<void> {
  const started = Date.now();
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows'), logger: quiet });
  writeFileSync(workflowBundlePath, code);
  console.error(`workflow bundle: ${workflowBundlePath} (${Math.round(code.length / 1024)} KiB, ${Date.now() - started} ms)`);
}

const silent = () => undefined;
const quiet = { log: silent, trace: silent, debug: silent, info: silent, warn: (m: string) => console.error(`bundle: ${m}`), error: (m: string) => console.error(`bundle: ${m}`) };

main().catch((err: unknown) => {
  console.error(`workflow bundle failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
