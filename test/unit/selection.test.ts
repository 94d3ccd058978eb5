import { selectValidators, SelectionError } from '../../src/core/selection';
import { suiteSchema } from '../../src/core/spec';

const suite = suiteSchema.parse({
  name: 'nightly',
  validators: [
    { name: 'nodes', phase: 'readiness', image: 'example.com/c:1' },
    { name: 'dns', phase: 'deployment', image: 'example.com/c:1' },
    { name: 'nccl', phase: 'performance', image: 'example.com/c:1' },
  ],
});
const names = (s: typeof suite) => s.validators.map((v) => v.name);

test('--only, --skip and --phase each narrow the suite, and together they intersect', () => {
  expect(names(selectValidators(suite, { only: ['dns', 'nccl'] }))).toEqual(['dns', 'nccl']);
  expect(names(selectValidators(suite, { skip: ['dns'] }))).toEqual(['nodes', 'nccl']);
  expect(names(selectValidators(suite, { phases: ['readiness', 'performance'] }))).toEqual(['nodes', 'nccl']);
  expect(names(selectValidators(suite, { only: ['dns', 'nccl'], skip: ['nccl'], phases: ['deployment', 'performance'] }))).toEqual(['dns']);
  expect(selectValidators(suite, {})).toEqual(suite);
});

test('the selected suite keeps everything else the suite says', () => {
  const { validators, ...rest } = selectValidators(suite, { only: ['dns'] });
  const { validators: all, ...original } = suite;
  expect(rest).toEqual(original);
  expect(validators).toEqual([all[1]]);
});

test('a name or phase the suite lacks is an error naming the option and what there is', () => {
  expect(() => selectValidators(suite, { only: ['dsn'], phases: ['smoke'] }, 'suite nightly')).toThrow(
    new SelectionError('--only: dsn is not in suite nightly; its validators are nodes, dns, nccl\n--phase smoke: not a phase; the phases are readiness, deployment, performance, conformance'),
  );
  expect(() => selectValidators(suite, { skip: ['a', 'b'] })).toThrow('--skip: a, b are not in the suite');
});

test('a selection that leaves nothing to run is an error', () => {
  expect(() => selectValidators(suite, { only: ['dns'], phases: ['readiness'] })).toThrow(new SelectionError('no validator of the suite is left to run with --only dns --phase readiness: choose at least one'));
});

test('a large suite lists 20 of its names in the error', () => {
  const big = { ...suite, validators: Array.from({ length: 30 }, (_, i) => ({ ...suite.validators[0], name: `v${i}` })) };
  expect(() => selectValidators(big, { only: ['x'] })).toThrow(/v19 and 10 more$/);
});
