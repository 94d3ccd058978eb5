import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { loadSuiteFile, SuiteFileError } from '../../src/cli/suite-file';
import { runInputJsonSchema } from '../../src/cli/suite-commands';

const fixture = (name: string) => join(__dirname, 'fixtures', name);

test('every problem in a suite file, each with its line and field path', () => {
  let error: unknown;
  try {
    loadSuiteFile(fixture('bad-suite.yaml'));
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(SuiteFileError);
  const lines = (error as Error).message.split('\n');
  const file = fixture('bad-suite.yaml');
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(new RegExp(`^${file}:12: inputs\\.recipe\\.yaml\\.file: .*does-not-exist\\.yaml does not exist$`)),
      `${file}:6: validators.1.name: must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit`,
      expect.stringMatching(new RegExp(`^${file}:7: validators\\.1\\.phase: `)),
      `${file}:9: validators.1.timeout: must be a duration such as "90s", "5m" or "1h30m"`,
      expect.stringMatching(new RegExp(`^${file}:6: validators\\.1: Unrecognized key: "imagee"`)),
    ]),
  );
});

test('the example suite is valid and reads its input files', () => {
  const { suite } = loadSuiteFile(join(__dirname, '..', '..', 'examples', 'sandbox-suite.yaml'));
  expect(suite.validators.length).toBeGreaterThanOrEqual(6);
  expect(suite.inputs['snapshot.yaml']).toContain('cluster: sandbox');
});

test('the published JSON Schema accepts what the workflow accepts and rejects unknown fields', () => {
  const validate = new Ajv2020({ strict: false }).compile(runInputJsonSchema());
  expect(validate({ suite: { name: 's', validators: [{ name: 'a', phase: 'deployment', image: 'x' }] } })).toBe(true);
  expect(validate({ suite: { name: 's', validators: [{ name: 'a', phase: 'deployment', image: 'x', imagee: 'y' }] } })).toBe(false);
  expect(validate({ suite: { name: 's', validators: [{ name: 'a', phase: 'smoke', image: 'x' }] } })).toBe(false);
});

test('what the API server would refuse is reported with its line and field, before anything starts', () => {
  const file = fixture('k8s-rules-suite.yaml');
  let message = '';
  try {
    loadSuiteFile(file);
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message.split('\n')).toEqual(
    expect.arrayContaining([
      expect.stringMatching(new RegExp(`^${file}:5: validators\\.0\\.image: the image must be an image reference`)),
      expect.stringMatching(new RegExp(`^${file}:7: validators\\.0\\.env\\.0\\.name: an environment variable name must consist of printable ASCII`)),
      expect.stringMatching(new RegExp(`^${file}:11: validators\\.0\\.resources\\.limits\\.memory: "1\\.5GB" must be a Kubernetes quantity`)),
      expect.stringMatching(new RegExp(`^${file}:13: validators\\.0\\.podLabels\\.team: a label value must be empty or`)),
    ]),
  );
});
