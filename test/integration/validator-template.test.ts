// The template validator (examples/validator-template/validate.sh), as `sandbox up` builds it into
// an image, run through Verdict on the real node: each outcome of the contract in
// docs/validators.md, with the exact status, message, stdout and sub-tests the report shows.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { onRealNode, realNodeName, requireRealNode } from '../harness/real-node';
import { runSuite } from '../../src/workflows';
import { repoRoot } from '../../src/sandbox/binaries';
import { imageRef, nodeImages } from '../../src/sandbox/node-layout';
import type { SuiteInput, ValidatorInput } from '../../src/core/spec';

beforeAll(requireRealNode);

const templateImage = imageRef(nodeImages.validatorTemplate);
const snapshot = readFileSync(join(repoRoot, 'examples', 'snapshot.yaml'), 'utf8');

function template(name: string, env: Record<string, string> = {}): ValidatorInput {
  return { name, phase: 'readiness', image: templateImage, env: Object.entries(env).map(([k, value]) => ({ name: k, value })), ...onRealNode };
}

async function run(validators: ValidatorInput[], inputs?: SuiteInput['inputs']) {
  const suite: SuiteInput = { name: 'template', namespace: testNamespace(), failFast: false, validators, inputs };
  const output = await withVerdictWorker((taskQueue, client) =>
    client.workflow.execute(runSuite, { taskQueue, workflowId: `template-${randomUUID()}`, args: [{ suite }] }),
  );
  return Object.fromEntries(output.report.results.tests.map((t) => [t.name, t]));
}

/** The go test -json lines one check prints. */
const check = (test: string, action: 'pass' | 'fail', output: string) => [
  `{"Action":"run","Test":"${test}"}`,
  `{"Action":"output","Test":"${test}","Output":"${output}\\n"}`,
  `{"Action":"${action}","Test":"${test}"}`,
];

test('the template validator passes, fails on its own checks, skips without input and ends other on a bad one', async () => {
  const byName = await run(
    [
      template('passes', { MIN_NODES: '3', MIN_GPUS: '8' }),
      template('fails', { MIN_NODES: '4' }),
      template('skips', { SNAPSHOT: '/verdict/inputs/absent.yaml' }),
      template('unreadable', { SNAPSHOT: '/verdict/inputs/broken.yaml' }),
    ],
    { 'snapshot.yaml': snapshot, 'broken.yaml': 'cluster: broken\nnodes: many\n' },
  );
  const checks = (nodes: string, enoughNodes: 'pass' | 'fail', gpus: string) => [
    'checking the inventory of cluster sandbox: 3 nodes, 8 GPUs',
    ...check('TestRunsAsNonRoot', 'pass', 'running as uid 65534'),
    ...check('TestInputReadOnly', 'pass', 'the inventory is read-only'),
    ...check('TestEnoughNodes', enoughNodes, nodes),
    ...check('TestEnoughGPUs', 'pass', gpus),
  ];
  const passedTest = (name: string) => ({ name, status: 'passed', durationMs: 0 });

  const passedMessage = '4 checks passed: cluster sandbox has 3 nodes and 8 GPUs';
  expect(byName.passes).toMatchObject({
    status: 'passed',
    message: passedMessage,
    stdout: [...checks('3 nodes, at least 3 wanted', 'pass', '8 GPUs, at least 8 wanted'), passedMessage],
    extra: { exitCode: 0, node: realNodeName },
  });
  expect(byName.passes.extra?.tests).toEqual(['TestRunsAsNonRoot', 'TestInputReadOnly', 'TestEnoughNodes', 'TestEnoughGPUs'].map(passedTest));

  const failedMessage = '1 of 4 checks failed: 3 nodes, at least 4 wanted';
  expect(byName.fails).toMatchObject({
    status: 'failed',
    message: failedMessage,
    stdout: [...checks('3 nodes, at least 4 wanted', 'fail', '8 GPUs, at least 0 wanted'), failedMessage],
    extra: { exitCode: 1, node: realNodeName },
  });
  expect(byName.fails.extra?.tests).toEqual([
    passedTest('TestRunsAsNonRoot'),
    passedTest('TestInputReadOnly'),
    { name: 'TestEnoughNodes', status: 'failed', durationMs: 0, output: ['3 nodes, at least 4 wanted'] },
    passedTest('TestEnoughGPUs'),
  ]);

  expect(byName.skips).toMatchObject({
    status: 'skipped',
    message: 'no inventory input: nothing to check',
    stdout: ['no inventory input: nothing to check'],
    extra: { exitCode: 2, node: realNodeName },
  });
  expect(byName.skips.extra?.tests).toBeUndefined();

  expect(byName.unreadable).toMatchObject({
    status: 'other',
    message: "cannot read the inventory: 'nodes' is 'many', not a number",
    stdout: ["cannot read the inventory: 'nodes' is 'many', not a number"],
    extra: { exitCode: 3, node: realNodeName },
  });
}, 180_000);

test('a passing template validator whose expected test never reports has failed', async () => {
  const byName = await run([{ ...template('expects-more', { MIN_NODES: '3' }), expectedTests: ['TestEnoughNodes', 'TestEtcdHealthy'] }], { 'snapshot.yaml': snapshot });
  expect(byName['expects-more']).toMatchObject({
    status: 'failed',
    message: 'expected tests did not report: TestEtcdHealthy',
    extra: { exitCode: 0, node: realNodeName },
  });
}, 120_000);
