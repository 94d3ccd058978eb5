import { loadWorkerConfig } from '../../worker/config';
import { SettingsError } from '../../temporal-config/settings';

const kube = { homeConfig: true, inCluster: false };

test("the worker's sweep runs hourly unless set; 0 turns it off; a bad value names its flag and variable", () => {
  expect(loadWorkerConfig({}, {}, kube).sweepIntervalSeconds).toBe(3600);
  expect(loadWorkerConfig({ sweepIntervalSeconds: '0' }, {}, kube).sweepIntervalSeconds).toBe(0);
  expect(loadWorkerConfig({}, { VERDICT_SWEEP_INTERVAL_SECONDS: '600' }, kube).sweepIntervalSeconds).toBe(600);
  let thrown: unknown;
  try {
    loadWorkerConfig({ sweepIntervalSeconds: '-5' }, {}, kube);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(SettingsError);
  expect((thrown as SettingsError).problems.join('\n')).toMatch(/--sweep-interval-seconds.*VERDICT_SWEEP_INTERVAL_SECONDS.*0 turns it off/);
});
