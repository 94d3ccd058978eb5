// The workflows a Verdict worker runs.
export { runSuite, progressQuery, type RunOutput, type RunProgress } from './run-suite';
export { runValidator, type ValidatorRunInput } from './run-validator';
export { suiteHistory, recordRunSignal, historyQuery, signalsPerExecution } from './suite-history';
export { clusterLock, lockQuery } from './cluster-lock';
export { runFleet, type FleetOutput } from './run-fleet';
