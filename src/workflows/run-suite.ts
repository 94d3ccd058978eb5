// A validation run: check permissions, prepare the namespace, per-run RBAC and inputs, run the
// phases in order (validators as child workflows, up to `concurrency` at once), then clean up in
// a step that cancellation cannot skip, and return the CTRF report.
import * as wf from '@temporalio/workflow';
import { ApplicationFailure } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RunResources } from '../activities/run-resources';
import { buildReport, securityOptIns, type CtrfReport } from '../core/ctrf';
import { configMapReportBytes, resultShareBytes } from '../core/report-budget';
import type { ValidatorResult } from '../core/result';
import { validatorWorkflowId, type RunIdentity } from '../core/names';
import { cancelledResult, clusterRolesOf, couldNotRun, pastDeadline, type RunOrigin, runIdProblem, phaseFailed, phasePlan, rootMessage, runInputSchema, runStatus, skippedAfter, toolVersion, type Run, type RunInput, type RunStatus } from '../core/run';
import { failureTypes } from '../core/failures';
import { parseDuration } from '../core/duration';
import { summarizeRun, type RunSummary } from '../core/history';
import type { RunInsights } from '../core/insights';
import { failedRunNotice, runNotice, wants, type NotifyRule, type RunNotice } from '../core/notify';
import { retryable, withAttempts } from '../core/retries';
import { describeViolations, policySubject, type Policy } from '../core/policy';
import { hasSecretEnv, secretEnvData, secretsInClearProblem } from '../core/secrets';
import { describeIssues, type Phase, type ValidatorSpec } from '../core/spec';
import { searchAttributeKeys as sa } from '../../temporal-config/search-attributes';
import { apiCall } from './activity-options';
import { takes } from './patches';
import { grantedSignal, releaseSignal } from './cluster-lock';
import { lockWorkflowId, type LockHolder } from '../core/exclusive';
import { runValidator, type ValidatorRunInput } from './run-validator';

export type ValidatorState = 'pending' | 'running' | ValidatorResult['status'];

export interface RunProgress {
  status: RunStatus | 'running';
  /** What the run waits for before its validators start (exclusive use of its cluster). */
  waiting?: string;
  validators: { name: string; phase: Phase; state: ValidatorState; reason?: string; message?: string; attempt?: number }[];
}

export interface RunOutput {
  status: RunStatus;
  report: CtrfReport;
}

export const progressQuery = wf.defineQuery<RunProgress>('progress');

const api = wf.proxyActivities<Activities>(apiCall);

export async function runSuite(input: RunInput): Promise<RunOutput> {
  // First: secret values stored in clear are refused before anything reads the input (src/codec/secret-guard.ts).
  const inClear = secretsInClearProblem(input);
  if (inClear) throw ApplicationFailure.nonRetryable(inClear, failureTypes.secretInClear);
  const parsed = runInputSchema.safeParse(input);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(`invalid run input:\n${describeIssues(parsed.error)}`, failureTypes.invalidSuite);
  const run = parsed.data;
  const { suite } = run;
  const info = wf.workflowInfo();
  const runId = info.workflowId;
  const badId = runIdProblem(runId);
  if (badId) throw ApplicationFailure.nonRetryable(`invalid run input:\n${badId}`, failureTypes.invalidSuite);
  const edges = takes('edges');
  const policed = takes('policy');
  const ending = takes('runEnd');
  const owner: RunIdentity = takes('identity') ? { runId, execution: info.firstExecutionRunId } : { runId };
  const start = Date.now();
  const progress = new Progress(suite.validators);
  wf.setHandler(progressQuery, () => progress.snapshot());
  wf.upsertSearchAttributes([
    { key: sa.suite, value: suite.name },
    { key: sa.status, value: 'running' },
    { key: sa.cluster, value: run.cluster },
    { key: sa.validatorCount, value: suite.validators.length },
  ]);

  // The operator's policy decides before anything is created, whoever started the run (on a
  // worker of the run's cluster: another cluster's worker refuses the check, see src/core/cluster.ts).
  // A run that fails before its validators report still tells whoever its suite notifies.
  const failedEarly = async (err: unknown): Promise<never> => {
    await notifyAll(run, owner, failedRunNotice({ runId, suite: suite.name, cluster: run.cluster }, rootMessage(err)), []);
    throw err;
  };
  const policy = policed ? await checkPolicy(run, progress, takes('cluster')).catch(failedEarly) : undefined;
  // Only a suite that asks for exclusive use, which no older run can have, takes these steps.
  const held = suite.exclusive ? await exclusiveUse(run, progress) : undefined;
  const resources: RunResources = { ...owner, namespace: suite.namespace, clusterRoles: clusterRolesOf(suite), inputs: suite.inputs, hasSecrets: suite.validators.some((v) => hasSecretEnv(v.env)) };
  const plan = { run, owner, resources, progress, edges };
  const phasesThenCleanUp = () => (held ? runThenCleanUp(plan).finally(() => releaseLock(run.cluster, held)) : runThenCleanUp(plan));
  const { results, problems } = edges ? await phasesThenCleanUp().catch(failedEarly) : { results: await legacyRunThenCleanUp(plan), problems: [] };
  const cancelled = wf.CancellationScope.current().consideredCancelled;
  const status = runStatus(results, cancelled);
  progress.finish(status);
  wf.upsertSearchAttributes([
    { key: sa.status, value: status },
    { key: sa.failedCount, value: results.filter((r) => r.status === 'failed' || r.status === 'other').length },
  ]);
  const reportId = wf.uuid4();
  const { insights, origin } = ending ? await atRunEnd(run, owner, status, summarizeRun({ runId, reportId, start, stop: Date.now(), status, keep: suite.history.runs }, results), problems) : {};
  const extra = { runId, suite: suite.name, cluster: run.cluster, status, ...origin, labels: { ...suite.labels, ...run.labels }, optIns: securityOptIns(suite), ...(edges ? { problems } : {}), ...(policy ? { policy } : {}) };
  const meta = { reportId, start, stop: Date.now(), toolVersion, extra, ...(insights ? { insights } : {}) };
  const report = buildReport(results, meta);
  if (suite.report.configMap) {
    // A ConfigMap holds 1 MiB with its metadata: the stored copy fits that, the returned one the payload budget.
    const stored = edges ? buildReport(results, meta, configMapReportBytes) : report;
    const store = () => wf.CancellationScope.nonCancellable(() => api.storeReport.executeWithOptions({ summary: 'store the report in a ConfigMap' }, [{ ...owner, namespace: suite.namespace, report: stored }]));
    if (!edges) await store();
    else await store().catch((err: unknown) => problems.push(`the report could not be stored in a ConfigMap: ${rootMessage(err)}`));
  }
  return { status, report };
}

/**
 * The run's end: compared with its suite's history (the report's baseline and insights), recorded
 * in it, who started and cancelled it read, and whoever the suite notifies told. None is
 * cancellable; a failure of any is a problem named in the report.
 */
async function atRunEnd(run: Run, owner: RunIdentity, status: RunStatus, summary: RunSummary, problems: string[]): Promise<{ insights?: RunInsights; origin?: RunOrigin }> {
  const target = { suite: run.suite.name, cluster: run.cluster, summary };
  const step = <T>(what: string, call: () => Promise<T>) => wf.CancellationScope.nonCancellable(call).catch((err: unknown) => void problems.push(`${what}: ${rootMessage(err)}`));
  const insights = await step("the run could not be compared with its suite's history", () => api.compareWithHistory.executeWithOptions({ summary: "compare with the suite's history" }, [target]));
  await step("the run could not be recorded in its suite's history", () => api.recordRunHistory.executeWithOptions({ summary: `record the run in suite ${run.suite.name}'s history` }, [target]));
  const origin = await step('who started and cancelled the run could not be read', () => api.runOrigin.executeWithOptions({ summary: 'read who started and cancelled the run' }, [owner]));
  await notifyAll(run, owner, runNotice({ runId: owner.runId, suite: run.suite.name, cluster: run.cluster, status }, summary.validators, insights), problems);
  return { ...(insights ? { insights } : {}), ...(origin ? { origin } : {}) };
}

/**
 * The notice, to each of the suite's notification rules that wants it, all at once; none is
 * cancellable, and one that cannot be sent is a problem named in the report, never the run's
 * failure. A suite without rules (every run from before notifications) issues no command.
 */
async function notifyAll({ suite }: Run, owner: RunIdentity, notice: RunNotice, problems: string[]): Promise<void> {
  const send = (rule: NotifyRule, index: number) =>
    wf.CancellationScope.nonCancellable(() =>
      api.notify.executeWithOptions({ summary: `notify ${'target' in rule ? `target ${rule.target}` : "the suite's URL"} (on ${rule.when})` }, [{ rule, index, execution: owner.execution, notice }]),
    ).catch((err: unknown) => void problems.push(`a notification could not be sent: ${rootMessage(err)}`));
  await Promise.all(suite.notify.flatMap((rule, index) => (wants(rule, notice) ? [send(rule, index)] : [])));
}

/** The worker's policy, or a non-retryable failure listing every violation (nothing was created). */
async function checkPolicy({ suite }: Run, progress: Progress, finalOnError: boolean): Promise<Policy> {
  const failed = () => {
    progress.finish('failed');
    wf.upsertSearchAttributes([{ key: sa.status, value: 'failed' }]);
  };
  const check = () => wf.CancellationScope.nonCancellable(() => api.checkRunPolicy.executeWithOptions({ summary: "check the worker's policy" }, [{ suite: policySubject(suite) }]));
  const { policy, violations } = await check().catch((err: unknown) => {
    if (finalOnError) failed();
    throw err;
  });
  if (violations.length === 0) return policy;
  failed();
  const message = `this worker's policy refuses the suite (${violations.length} violation${violations.length === 1 ? '' : 's'}); nothing was created:\n${describeViolations(violations)}`;
  throw ApplicationFailure.create({ message, type: failureTypes.policyViolation, nonRetryable: true, details: [violations, policy] });
}

/**
 * Waits in line for the run's cluster (src/workflows/cluster-lock.ts), shown in the run's progress
 * and status attribute; cancelled while waiting, it leaves the line and the run ends cancelled.
 */
async function exclusiveUse(run: Run, progress: Progress): Promise<LockHolder> {
  const info = wf.workflowInfo();
  const holder: LockHolder = { workflowId: info.workflowId, execution: info.runId };
  let granted = false;
  wf.setHandler(grantedSignal, () => void (granted = true));
  progress.wait(`exclusive use of cluster ${run.cluster}`);
  wf.upsertSearchAttributes([{ key: sa.status, value: 'waiting' }]);
  try {
    await api.requestClusterLock.executeWithOptions({ summary: `wait for exclusive use of cluster ${run.cluster}` }, [{ cluster: run.cluster, holder }]);
    await wf.condition(() => granted);
  } catch (err) {
    await releaseLock(run.cluster, holder);
    if (wf.isCancellation(err)) {
      progress.finish('cancelled');
      wf.upsertSearchAttributes([{ key: sa.status, value: 'cancelled' }]);
    }
    throw err;
  }
  progress.wait(undefined);
  wf.upsertSearchAttributes([{ key: sa.status, value: 'running' }]);
  return holder;
}

/** Gives the cluster to the next run in line; a lock that has ended (it saw the run close) needs nothing. */
const releaseLock = (cluster: string, holder: LockHolder) =>
  wf.CancellationScope.nonCancellable(() => wf.getExternalWorkflowHandle(lockWorkflowId(cluster)).signal(releaseSignal, holder)).catch(() => undefined);

interface Plan {
  run: Run;
  owner: RunIdentity;
  resources: RunResources;
  progress: Progress;
  edges: boolean;
}

/**
 * Runs the phases, then cleans up whatever happened. A cleanup that fails never replaces the results
 * (its problems are named in the report) nor a setup failure (the run fails with that, the problems
 * appended); the status search attribute is final either way.
 */
async function runThenCleanUp(plan: Plan): Promise<{ results: ValidatorResult[]; problems: string[] }> {
  let results: ValidatorResult[] = [];
  let setupFailure: Error | undefined;
  try {
    results = await phasesWithinDeadline(plan);
  } catch (err) {
    setupFailure = err instanceof Error ? err : new Error(String(err));
  }
  const problems = await wf.CancellationScope.nonCancellable(() =>
    api.cleanupRunResources.executeWithOptions({ summary: 'clean up RBAC and inputs' }, [plan.resources]).then(
      (done) => done.left.map((left) => `cleanup ${left}`),
      (err: unknown) => [`cleanup failed (verdict gc removes what is left once the run is closed): ${rootMessage(err)}`],
    ),
  );
  if (setupFailure === undefined) return { results, problems };
  plan.progress.finish('failed');
  wf.upsertSearchAttributes([{ key: sa.status, value: 'failed' }]);
  if (problems.length === 0) throw setupFailure;
  throw ApplicationFailure.create({ message: `${rootMessage(setupFailure)}\n${problems.join('\n')}`, type: failureTypes.setupFailed, nonRetryable: true, cause: setupFailure });
}

/**
 * The phases, stopped when the suite's deadline passes: the validators still running are cancelled
 * (each deletes its Job as on cancellation), and they and those never started report
 * RunDeadlineExceeded. Without a deadline no timer is made, so runs from before deadlines replay
 * unchanged; only a suite with a deadline, which no older run can have, takes this path.
 */
async function phasesWithinDeadline(plan: Plan): Promise<ValidatorResult[]> {
  const { deadline } = plan.run.suite;
  if (!deadline) return runPhases(plan);
  const phases = new wf.CancellationScope();
  const timer = new wf.CancellationScope();
  let passed = false;
  timer
    .run(() => wf.sleep(parseDuration(deadline)! * 1000))
    .then(() => {
      passed = true;
      phases.cancel();
    })
    .catch(() => undefined); // the timer was cancelled: the phases ended first, or the run was cancelled
  const results = await phases.run(() => runPhases(plan));
  timer.cancel();
  return passed ? results.map((r) => pastDeadline(r, deadline)) : results;
}

/** As runs started before 2026-11 did it: a failed cleanup fails the run. */
async function legacyRunThenCleanUp(plan: Plan): Promise<ValidatorResult[]> {
  try {
    return await runPhases(plan);
  } finally {
    await wf.CancellationScope.nonCancellable(() => api.cleanupRunResources.executeWithOptions({ summary: 'clean up RBAC and inputs' }, [plan.resources]));
  }
}

async function runPhases({ run, owner, resources, progress, edges }: Plan): Promise<ValidatorResult[]> {
  const { suite } = run;
  const { runId } = owner;
  const results: ValidatorResult[] = [];
  const cancelled = () => wf.CancellationScope.current().consideredCancelled;
  try {
    wf.setCurrentDetails('preparing: permissions, namespace, RBAC, inputs');
    const setup = async () => {
      await api.checkPermissions.executeWithOptions({ summary: 'check permissions' }, [{ namespace: suite.namespace, clusterRoles: resources.clusterRoles, hasSecrets: resources.hasSecrets }]);
      await api.ensureNamespace.executeWithOptions({ summary: `ensure namespace ${suite.namespace}` }, [{ namespace: suite.namespace, ...owner }]);
      const accounts = await api.ensureRunRbac.executeWithOptions({ summary: 'ensure per-run RBAC' }, [resources]);
      // The same activity creates the Secret of secret-marked values (encrypted in history by the codec).
      const inputs = await api.ensureInputs.executeWithOptions({ summary: 'ensure input files' }, [{ ...resources, secrets: secretEnvData(suite) }]);
      return { accounts, inputs };
    };
    // Setup that cancellation interrupted could create objects after cleanup ran: let it finish first.
    const { accounts, inputs } = edges ? await wf.CancellationScope.nonCancellable(setup) : await setup();
    // One budget for the whole report (src/core/report-budget.ts): each validator's share caps its stdout and its result.
    const share = resultShareBytes(suite.validators.length);

    let failedPhase: Phase | undefined;
    for (const { phase, validators } of phasePlan(suite)) {
      if (cancelled()) break;
      if (failedPhase && suite.failFast) {
        for (const v of validators) results.push(progress.done(skippedAfter(v, failedPhase)));
        continue;
      }
      const attempt = (spec: ValidatorSpec, n: number) => {
        const child: ValidatorRunInput = { spec, ...owner, namespace: suite.namespace, serviceAccount: accounts[spec.clusterRole], inputs, thresholds: suite.stuckAfter, keepResources: suite.keepResources, stdoutBytes: share, resultBytes: share, ...(n > 1 ? { attempt: n } : {}) };
        const workflowId = owner.execution ? validatorWorkflowId(runId, spec.name, n) : `${runId}--${spec.name}`;
        return wf
          .executeChild(runValidator, { args: [child], workflowId, staticSummary: `${phase}/${spec.name}: ${spec.image}${n > 1 ? ` (attempt ${n})` : ''}` })
          .catch((err: unknown) => (wf.isCancellation(err) ? cancelledResult(spec) : couldNotRun(spec, rootMessage(err))));
      };
      // An `other` outcome is retried as a new Job while the validator has retries left; a failure never is.
      const launch = async (spec: ValidatorSpec) => {
        const earlier: ValidatorResult[] = [];
        for (;;) {
          progress.start(spec.name, earlier.length + 1);
          const result = await attempt(spec, earlier.length + 1);
          if (earlier.length >= spec.retries || !retryable(result) || cancelled()) return progress.done(withAttempts(result, earlier));
          earlier.push(result);
        }
      };
      const phaseResults = await inLanes(validators, suite.concurrency, launch, cancelled);
      results.push(...phaseResults);
      if (!failedPhase && phaseFailed(phaseResults)) failedPhase = phase;
    }
  } catch (err) {
    if (!wf.isCancellation(err)) throw err;
  }
  // Validators the run never reached (it was cancelled) say so.
  const reached = new Set(results.map((r) => r.name));
  return [...results, ...suite.validators.filter((v) => !reached.has(v.name)).map((v) => progress.done(cancelledResult(v)))];
}

/** Runs `launch` over `items`, at most `lanes` at once, until `stop()` says no more. */
async function inLanes<T, R>(items: T[], lanes: number, launch: (item: T) => Promise<R>, stop: () => boolean): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop()) {
      const i = next++;
      results[i] = await launch(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  return results.filter((r) => r !== undefined);
}

/** What the progress query and the Web UI's current details show. */
class Progress {
  private readonly validators: RunProgress['validators'];
  private status: RunProgress['status'] = 'running';
  private waiting?: string;

  constructor(specs: ValidatorSpec[]) {
    this.validators = specs.map((v) => ({ name: v.name, phase: v.phase, state: 'pending' }));
  }

  start(name: string, attempt = 1): void {
    Object.assign(this.find(name), { state: 'running', ...(attempt > 1 ? { attempt } : {}) });
    this.publish();
  }

  done(result: ValidatorResult): ValidatorResult {
    Object.assign(this.find(result.name), { state: result.status, reason: result.reason, message: result.message || undefined });
    this.publish();
    return result;
  }

  wait(what: string | undefined): void {
    this.waiting = what;
    this.publish();
  }

  finish(status: RunStatus): void {
    this.status = status;
    this.publish();
  }

  snapshot(): RunProgress {
    return { status: this.status, ...(this.waiting ? { waiting: this.waiting } : {}), validators: this.validators.map((v) => ({ ...v })) };
  }

  private find(name: string) {
    return this.validators.find((v) => v.name === name)!;
  }

  private publish(): void {
    const count = (s: ValidatorState) => this.validators.filter((v) => v.state === s).length;
    const parts = (['running', 'passed', 'failed', 'skipped', 'other', 'pending'] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s}`);
    wf.setCurrentDetails(this.waiting ? `waiting for ${this.waiting}` : `${this.status}: ${parts.join(', ')}`);
  }
}
