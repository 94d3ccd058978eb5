// One validator's Job: deploy it, await it, read its result, delete it. Every activity is
// idempotent: the Job's name comes from the workflow, so a retry finds the same Job.
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { Clients } from '../k8s/client';
import { fieldManager } from '../k8s/apply';
import { isConflict, isNotFound, k8sCall, toFailure } from '../k8s/errors';
import { failureTypes } from '../core/failures';
import { heartbeatEveryMs } from '../core/heartbeat';
import { LogDigest, type LogDigestOptions, type LogDigestResult } from '../core/log-digest';
import { ApiStatusError, openGet } from '../k8s/api-get';
import { JobWatches, type NamespaceWatch } from '../k8s/job-watch';
import { buildResult, latestPod, outcomeOf, type AwaitOutcome } from '../core/classify';
import { onLostNode, validatorStatus } from '../core/pod-status';
import { PodCreationCheck } from './pod-creation';
import { buildJob, containerName, specHashAnnotation, type JobContext } from '../core/job';
import { notOwnedBy } from '../core/labels';
import type { RunIdentity } from '../core/names';
import { withNote } from '../core/run';
import { observeJob } from '../core/observe';
import type { ValidatorResult } from '../core/result';
import { redact, redactCut, redactDeep, redactResult, secretValues } from '../core/secrets';
import type { StuckThresholds, ValidatorSpec } from '../core/spec';
import { defaultStdoutLimits } from '../core/stdout';

export interface JobRef {
  namespace: string;
  jobName: string;
}

/** Deadline in ms since epoch; thresholds say how long a stuck pod is given. */
export type AwaitInput = JobRef & { thresholds: StuckThresholds; deadline: number };

const podSettleMs = 5_000;
/** A log read that fails (not 404) is tried this many times, a little longer apart each time. */
const logAttempts = 3;
const logRetryMs = 2_000;
/** One attempt at reading a log, headers and body: a few MB over any link. */
const logReadMs = 8_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Job to deploy; a spec it cannot be built from fails at once (a retry builds the same). */
function buildWanted(spec: ValidatorSpec, ctx: JobContext): V1Job {
  try {
    return buildJob(spec, ctx);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(err instanceof Error ? err.message : String(err), failureTypes.badInput);
  }
}

export function jobActivities(c: Clients, watches: JobWatches) {
  async function readJob(ref: JobRef): Promise<V1Job | undefined> {
    try {
      return await c.batch.readNamespacedJob({ name: ref.jobName, namespace: ref.namespace });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw toFailure(err, `reading Job ${ref.jobName} in namespace ${ref.namespace}`);
    }
  }

  /** Why an existing Job of this name is not the one we would create, or undefined when it is. */
  function mismatch(existing: V1Job, wanted: V1Job, ctx: JobContext): string | undefined {
    const notOurs = notOwnedBy(existing.metadata, ctx);
    if (notOurs) return notOurs;
    if (existing.metadata?.annotations?.[specHashAnnotation] !== wanted.metadata!.annotations![specHashAnnotation]) return 'it has another spec';
    return undefined;
  }

  /**
   * Only a current view may end a wait. The shared cache is current unless it is stale (it lost
   * its watch, or heard nothing for longer than a healthy watch stays quiet); then anything it
   * shows may be old news, "still running" at the deadline included. So when the cached view would
   * end the wait (any outcome, the deadline's timeout too) and the cache is stale, the Job and its
   * pods are read from the API (two requests) and decide instead; if the API cannot be read, the
   * attempt fails retryably. While the cached view says the Job runs, waiting on is safe: nothing
   * is concluded, and the cache reconnects by itself.
   */
  async function awaitOn(w: NamespaceWatch, input: AwaitInput): Promise<AwaitOutcome> {
    const ctx = Context.current();
    const creation = new PodCreationCheck(c, input.thresholds, (m) => {
      log.warn(m);
    });
    const readPods = () =>
      k8sCall(`listing the pods of Job ${input.jobName} in namespace ${input.namespace}`, () =>
        c.core.listNamespacedPod({ namespace: input.namespace, labelSelector: JobWatches.podSelector(input.jobName) }),
      );
    // The cache may not have caught up with a Job created a moment ago: ask the API once.
    let fallback = w.jobs.get(input.jobName)[0] ? undefined : await readJob(input);
    for (;;) {
      const job = w.jobs.get(input.jobName)[0] ?? fallback;
      if (w.jobs.get(input.jobName)[0]) fallback = undefined;
      const now = Date.now();
      // No pod yet past a few seconds: the Job controller may be refused (quota, admission...).
      let seen = await creation.refine(job, observeJob(job, w.pods.get(input.jobName), now, input.thresholds), now);
      const ends = (seen.state !== 'pending' && seen.state !== 'running') || now >= input.deadline;
      if (ends && JobWatches.isStale(w, now)) {
        const [direct, pods] = await Promise.all([readJob(input), readPods()]);
        seen = await creation.refine(direct, observeJob(direct, pods.items, now, input.thresholds), now);
      }
      const ended = outcomeOf(seen);
      if (ended) return ended;
      if (now >= input.deadline) return { outcome: 'timeout' };
      ctx.heartbeat({ jobName: input.jobName, resourceVersion: job?.metadata?.resourceVersion });
      const recheckAt = seen.state === 'pending' || seen.state === 'running' ? seen.recheckAt : undefined;
      const wakeAt = Math.min(input.deadline, recheckAt ?? Infinity, now + heartbeatEveryMs);
      await Promise.race([JobWatches.nextChange(w, input.jobName, wakeAt - now), ctx.cancelled]);
    }
  }

  /** Waits, bounded, until no pod of the Job still runs and the Job itself is gone. */
  async function goneOrSettled(w: NamespaceWatch, jobName: string, waitMs: number): Promise<{ podsSettled: boolean; left?: string }> {
    const deadline = Date.now() + waitMs;
    const running = () => w.pods.get(jobName).filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
    // A pod on a lost node stays until the node returns, and its Job with it (foreground deletion): waiting is pointless.
    const stranded = () => running().length > 0 && running().every(onLostNode);
    const remains = () => running().length > 0 || w.jobs.get(jobName).length > 0;
    while (remains() && !stranded() && Date.now() < deadline) {
      Context.current().heartbeat({ jobName, deleting: true });
      await JobWatches.nextChange(w, jobName, Math.min(heartbeatEveryMs, deadline - Date.now()));
    }
    if (stranded()) return { podsSettled: false, left: `its Job ${jobName} is being deleted, and goes once its pod's lost node returns or Kubernetes collects the pod` };
    return { podsSettled: running().length === 0 };
  }

  /**
   * The pods of a Job once the cache shows them settled (or after a short grace), the ones deleted
   * already included (as they were last seen): an evicted pod may be gone before its Job fails.
   */
  async function settledPods(w: NamespaceWatch, jobName: string, outcome: AwaitOutcome): Promise<V1Pod[]> {
    const expectExit = outcome.outcome === 'succeeded' || outcome.outcome === 'failed';
    const deadline = Date.now() + podSettleMs;
    const pods = () => [...w.pods.departed(jobName), ...w.pods.get(jobName)];
    // The Job's watch can run ahead of the pods' watch: give the pod's final status a moment to arrive.
    const settled = () => validatorStatus(latestPod(pods()))?.state?.terminated || onLostNode(latestPod(pods()));
    while (expectExit && Date.now() < deadline && !settled()) {
      await JobWatches.nextChange(w, jobName, deadline - Date.now());
    }
    return pods();
  }

  /**
   * The validator's whole log, streamed through a digest (bounded memory: capped stdout, every
   * go-test result, expected tests checked over all of it), or why it could not be read (a lost
   * node, a kubelet that does not answer): each attempt starts afresh.
   */
  async function readLogs(pod: V1Pod | undefined, options: LogDigestOptions): Promise<{ log: LogDigestResult; unavailable?: string }> {
    const started = pod?.status?.containerStatuses?.some((s) => s.state?.running || s.state?.terminated);
    if (!pod || !started) return { log: new LogDigest(options).end() };
    const path = `/api/v1/namespaces/${pod.metadata!.namespace!}/pods/${pod.metadata!.name!}/log`;
    let last: unknown;
    // A lost node's kubelet cannot answer: one attempt says so.
    const attempts = onLostNode(pod) ? 1 : logAttempts;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(logRetryMs * attempt);
      const digest = new LogDigest(options);
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new Error(`the log took longer than ${logReadMs} ms to read`)), logReadMs);
      try {
        for await (const chunk of await openGet(c.config, path, { container: containerName }, abort.signal, logReadMs)) digest.write(chunk as Buffer);
        return { log: digest.end() };
      } catch (err) {
        // The pod went away, its logs with it: what its status said stands, and the report says the output is lost.
        if (err instanceof ApiStatusError && err.statusCode === 404) return { log: new LogDigest(options).end(), unavailable: `pod ${pod.metadata?.name} was deleted before its logs could be read` };
        last = err;
      } finally {
        clearTimeout(timer);
      }
    }
    return { log: new LogDigest(options).end(), unavailable: `reading the logs of pod ${pod.metadata?.name}: ${last instanceof Error ? last.message : String(last)}` };
  }

  return {
    /**
     * Creates the validator's Job, or finds the one an earlier attempt created. Create first: the
     * usual case costs one request, and only a name already taken is read back and checked.
     */
    async deployJob(input: { spec: ValidatorSpec; ctx: JobContext }): Promise<{ jobName: string; uid: string }> {
      const wanted = buildWanted(input.spec, input.ctx);
      const ref = { namespace: input.ctx.namespace, jobName: input.ctx.jobName };
      try {
        const created = await c.batch.createNamespacedJob({ namespace: ref.namespace, body: wanted, fieldManager });
        return { jobName: ref.jobName, uid: created.metadata!.uid! };
      } catch (err) {
        if (!isConflict(err)) throw toFailure(err, `creating Job ${ref.jobName} in namespace ${ref.namespace}`);
      }
      const existing = await readJob(ref);
      // Taken a moment ago and gone already (being deleted): a retry creates it afresh.
      if (!existing) throw ApplicationFailure.retryable(`Job ${ref.jobName} in namespace ${ref.namespace} was deleted while being deployed`, failureTypes.jobGone);
      const why = mismatch(existing, wanted, input.ctx);
      if (why) throw ApplicationFailure.nonRetryable(`a Job named ${ref.jobName} already exists in namespace ${ref.namespace} and ${why}; delete it or use another namespace`, failureTypes.conflict);
      return { jobName: ref.jobName, uid: existing.metadata!.uid! };
    },

    /**
     * Waits on the shared watch until the Job finishes, a pod is stuck past its threshold, the Job
     * disappears, or `deadline` (ms since epoch) passes. Heartbeats the Job's resourceVersion.
     */
    awaitJob(input: AwaitInput): Promise<AwaitOutcome> {
      return watches.use(input.namespace, (w) => awaitOn(w, input));
    },

    /** The validator's result: exit code, message, stdout and times, from whatever exists now. */
    async extractResult(
      input: JobRef & {
        spec: Pick<ValidatorSpec, 'name' | 'phase' | 'timeout' | 'expectedTests'> & Partial<Pick<ValidatorSpec, 'env'>>;
        outcome: AwaitOutcome;
        /** Cap on the stdout kept (default 64 KiB). */ stdoutBytes?: number;
      },
    ): Promise<ValidatorResult> {
      const pod = latestPod(await watches.use(input.namespace, (w) => settledPods(w, input.jobName, input.outcome)));
      const stdout = { ...defaultStdoutLimits, maxBytes: Math.min(defaultStdoutLimits.maxBytes, input.stdoutBytes ?? Infinity) };
      // Secret env values are redacted from each line before anything is kept or cut, so no cut leaves half of one.
      const secrets = secretValues(input.spec.env ?? []);
      const { log, unavailable } = await readLogs(pod, { stdout, expectedTests: input.spec.expectedTests, redact: (line, cut) => redactCut(line, secrets, { end: cut }) });
      // Kubernetes may have cut messages in the pod's status and the outcome: their edges are redacted too.
      const result = redactResult(buildResult(input.spec, input.jobName, redactDeep(input.outcome, secrets), redactDeep(pod, secrets), log), secrets);
      // What the pod's status already says (its exit code above all) stands without the logs.
      return unavailable ? withNote(result, redact(`its logs could not be read: ${unavailable}`, secrets)) : result;
    },

    /**
     * Deletes the Job and its pods (foreground), then waits, bounded, until no pod still runs and
     * the Job itself is gone, so nothing of it outlives the call (RBAC cleanup never races a pod).
     */
    async deleteJob(input: JobRef & { waitSeconds?: number; owner?: RunIdentity }): Promise<{ podsSettled: boolean; left?: string }> {
      return watches.use(input.namespace, async (w) => {
        // Runs started before 2026-11 name no owner: their Jobs are deleted by name, as then. The
        // cache holds only Jobs labelled ours, so one it lacks is read before anything is deleted.
        const job = input.owner ? (w.jobs.get(input.jobName)[0] ?? (await readJob(input))) : undefined;
        if (input.owner && !job) return goneOrSettled(w, input.jobName, (input.waitSeconds ?? 60) * 1000);
        const notOurs = input.owner && job ? notOwnedBy(job.metadata, input.owner) : undefined;
        if (notOurs) return { podsSettled: true, left: `left Job ${input.jobName}: ${notOurs}` };
        const uid = job?.metadata?.uid;
        await k8sCall(`deleting Job ${input.jobName} in namespace ${input.namespace}`, async () => {
          try {
            // With a body, the API server reads the options from it alone (query parameters are ignored).
            await c.batch.deleteNamespacedJob({ name: input.jobName, namespace: input.namespace, body: { propagationPolicy: 'Foreground', ...(uid ? { preconditions: { uid } } : {}) } });
          } catch (err) {
            // 404: gone already. 409: the uid changed, so that Job is someone else's now.
            if (!isNotFound(err) && !(uid && isConflict(err))) throw err;
          }
        });
        return goneOrSettled(w, input.jobName, (input.waitSeconds ?? 60) * 1000);
      });
    },
  };
}
