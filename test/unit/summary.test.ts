import { runListLines, validatorStateLines } from '../../src/cli/summary';

const started = new Date('2026-12-04T02:00:00.123Z');

test('a long run ID comes last and widens no other column', () => {
  const short = { runId: 'nightly-1', suite: 'gpu', status: 'failed', failed: 2, started };
  const long = { ...short, runId: `nightly-${'x'.repeat(200)}`, status: 'passed', failed: 0 };
  const lines = runListLines([short, long]);
  expect(lines).toEqual([
    'STARTED               STATUS  FAILED  SUITE  RUN',
    '2026-12-04T02:00:00Z  failed  2       gpu    nightly-1',
    `2026-12-04T02:00:00Z  passed  0       gpu    ${long.runId}`,
  ]);
});

test('a running run with no failed count yet shows an empty cell', () => {
  const [, row] = runListLines([{ runId: 'r', suite: 'smoke', status: 'running', started }]);
  expect(row).toBe('2026-12-04T02:00:00Z  running          smoke  r');
});

test('validator states line up, with the reason when there is one', () => {
  expect(
    validatorStateLines([
      { name: 'nodes', phase: 'readiness', state: 'passed' },
      { name: 'gpu-burn', phase: 'performance', state: 'other', reason: 'ImagePullBackOff' },
    ]),
  ).toEqual(['PHASE        VALIDATOR  STATE   REASON', 'readiness    nodes      passed', 'performance  gpu-burn   other   ImagePullBackOff']);
});
