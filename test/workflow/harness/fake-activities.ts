// Stand-ins for Verdict's activities: these tests exercise orchestration (phases, lanes, timers,
// cancellation), so each validator's Job is a script: exit with a code after a while, or never end.
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { Activities } from '../../../src/activities';
import { statusForExitCode, type ValidatorResult } from '../../../src/core/result';
import { sandboxPolicy } from '../../../src/core/policy';

/** What a validator's Job does: exit with `exitCode` after `ms`, or run until cancelled. */
export type JobScript = { exitCode: number; ms?: number } | 'never';
/** One script for every Job of a validator, or one per attempt (the last repeats). */
type Scripts = JobScript | JobScript[];

type Input<K extends keyof Activities> = Parameters<Activities[K]>[0];

export class FakeCluster {
  /** Every activity call in order: `<activity> <validator or detail>`. */
  readonly calls: string[] = [];
  /** Every notify call's input, in order. */
  readonly notices: Input<'notify'>[] = [];
  /** Makes every notify call fail. */
  refuseNotify = false;
  /** The most validators awaited at the same time. */
  maxAwaiting = 0;
  private awaiting = 0;
  private readonly validatorOfJob = new Map<string, string>();
  private readonly scriptOfJob = new Map<string, JobScript>();
  private readonly started = new Map<string, () => void>();
  private readonly startedPromises = new Map<string, Promise<void>>();
  private readonly crowded: Promise<void>;
  private openCrowd = () => {};

  /**
   * `crowd`: Jobs keep running until that many are awaited at once (or 5 s pass), so a test of
   * lanes sees every lane busy however slowly child workflows start on a loaded machine.
   */
  constructor(
    private readonly scripts: Record<string, Scripts>,
    private readonly crowd = 0,
  ) {
    this.crowded = new Promise((resolve) => (this.openCrowd = resolve));
    for (const name of Object.keys(scripts)) this.startedPromises.set(name, new Promise((resolve) => this.started.set(name, resolve)));
  }

  /** The name of the Job deployed for `validator`. */
  jobOf(validator: string): string | undefined {
    return [...this.validatorOfJob].find(([, v]) => v === validator)?.[0];
  }

  /** Resolves once the validator's Job is being awaited. */
  awaited(validator: string): Promise<void> {
    return this.startedPromises.get(validator)!;
  }

  readonly activities = {
    // Orchestration tests: the policy lets everything through (test/unit/policy.test.ts checks the rules).
    checkRunPolicy: (_: Input<'checkRunPolicy'>) => Promise.resolve({ policy: sandboxPolicy, violations: [] }),
    checkPermissions: (_: Input<'checkPermissions'>) => this.answer('checkPermissions', { checked: 0, accessReviews: 0 }),
    ensureNamespace: (i: Input<'ensureNamespace'>) => this.answer(`ensureNamespace ${i.namespace}`, { createdByVerdict: false }),
    ensureRunRbac: (i: Input<'ensureRunRbac'>) => this.answer('ensureRunRbac', Object.fromEntries(i.clusterRoles.map((r) => [r, `sa-${r}`]))),
    ensureInputs: (_: Input<'ensureInputs'>) => this.answer('ensureInputs', undefined),
    cleanupRunResources: (_: Input<'cleanupRunResources'>) => this.answer('cleanupRunResources', { left: [] }),
    storeReport: (_: Input<'storeReport'>) => this.answer('storeReport', { configMap: 'report' }),
    compareWithHistory: (_: Input<'compareWithHistory'>) => this.answer('compareWithHistory', undefined),
    runOrigin: (_: Input<'runOrigin'>) => this.answer('runOrigin', { startedBy: 'wf-test' }),
    recordRunHistory: (i: Input<'recordRunHistory'>) => this.answer(`recordRunHistory ${i.summary.status}`, undefined),
    notify: (i: Input<'notify'>) => {
      this.notices.push(i);
      return this.refuseNotify ? Promise.reject(ApplicationFailure.nonRetryable('the receiver answered HTTP 403', 'NotificationFailed')) : this.answer(`notify ${i.index}`, { key: `key-${i.index}` });
    },
    deployJob: (i: Input<'deployJob'>) => {
      if (!this.validatorOfJob.has(i.ctx.jobName)) this.scriptOfJob.set(i.ctx.jobName, this.nextScript(i.spec.name));
      this.validatorOfJob.set(i.ctx.jobName, i.spec.name);
      return this.answer(`deployJob ${i.spec.name}`, { jobName: i.ctx.jobName, uid: `uid-${i.spec.name}` });
    },
    awaitJob: (i: Input<'awaitJob'>) => this.awaitJob(i),
    extractResult: (i: Input<'extractResult'>) => this.answer(`extractResult ${i.spec.name} ${i.outcome.outcome}`, this.resultOf(i)),
    deleteJob: (i: Input<'deleteJob'>) => this.answer(`deleteJob ${this.validatorOfJob.get(i.jobName)}`, { podsSettled: true }),
  } satisfies Partial<Activities>;

  /** The script of the validator's next Job: its attempt's, when it has one per attempt. */
  private nextScript(name: string): JobScript {
    const scripts = this.scripts[name];
    if (!Array.isArray(scripts)) return scripts;
    const deployed = [...this.validatorOfJob.values()].filter((v) => v === name).length;
    return scripts[Math.min(deployed, scripts.length - 1)];
  }

  private async crowdedOr(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.crowded, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /** What the validator's Job left, as the real extractResult would report it. */
  private resultOf(i: Input<'extractResult'>): ValidatorResult {
    const base = { name: i.spec.name, phase: i.spec.phase, stdout: [], durationMs: 0, jobName: i.jobName };
    if (i.outcome.outcome === 'timeout') return { ...base, status: 'other', exitCode: -1, reason: 'Timeout', message: `timeout: the validator did not complete within ${i.spec.timeout}` };
    if (i.outcome.outcome === 'cancelled') return { ...base, status: 'other', exitCode: -1, reason: 'Cancelled', message: 'cancelled: the run was cancelled before the validator finished' };
    const script = this.scriptOfJob.get(i.jobName)!;
    const exitCode = script === 'never' ? -1 : script.exitCode;
    return { ...base, status: statusForExitCode(exitCode), exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', message: `exited ${exitCode}` };
  }

  private answer<T>(call: string, value: T): Promise<T> {
    this.log(call);
    return Promise.resolve(value);
  }

  private log(call: string): void {
    this.calls.push(call);
  }

  /** Runs the validator's script; heartbeats like the real one, so cancellation reaches it. */
  private async awaitJob(i: Input<'awaitJob'>): Promise<Awaited<ReturnType<Activities['awaitJob']>>> {
    const name = this.validatorOfJob.get(i.jobName)!;
    const script = this.scriptOfJob.get(i.jobName)!;
    this.log(`awaitJob ${name}`);
    this.maxAwaiting = Math.max(this.maxAwaiting, ++this.awaiting);
    if (this.maxAwaiting >= this.crowd) this.openCrowd();
    this.started.get(name)!();
    const ctx = Context.current();
    const beat = setInterval(() => ctx.heartbeat(), 200);
    try {
      if (script === 'never') {
        await ctx.cancelled;
        throw new Error('unreachable: cancelled rejects');
      }
      await this.crowdedOr(5_000);
      await ctx.sleep(script.ms ?? 0);
      return script.exitCode === 0 ? { outcome: 'succeeded' } : { outcome: 'failed', reason: 'Error', message: `exit code ${script.exitCode}` };
    } catch (err) {
      if (err instanceof CancelledFailure) this.log(`awaitJob ${name} cancelled`);
      throw err;
    } finally {
      clearInterval(beat);
      this.awaiting--;
    }
  }
}
