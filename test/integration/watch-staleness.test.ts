// A stale watch cache is never mistaken for a quiet Job: while the loopback proxy stalls the
// watches, the cache says it is stale, and a wait that reaches its deadline asks the API server
// itself rather than report `timeout` from what the cache last saw.
import { ApplicationFailure } from '@temporalio/common';
import { ApiProxy } from '../harness/api-proxy';
import { activityKit, inActivity, jobContext, simulated } from '../harness/activities';
import { clients } from '../harness/k8s';
import { eventually } from '../harness/eventually';
import { testNamespace } from '../harness/namespace';
import { createActivities } from '../../src/activities';
import { makeClients } from '../../src/k8s/client';
import { JobWatches } from '../../src/k8s/job-watch';
import { stuckThresholdsSchema } from '../../src/core/spec';
import { failureTypes } from '../../src/core/failures';

const timings = { headersTimeoutMs: 1_000, listTimeoutMs: 5_000, silenceMs: 2_000, reconnectMs: 500, backoff: { baseMs: 100, capMs: 1_000 } };
const thresholds = stuckThresholdsSchema.parse({});

let proxy: ApiProxy;
let watches: JobWatches;
let acts: ReturnType<typeof createActivities>;
beforeAll(async () => {
  proxy = await ApiProxy.start(clients().config);
  const proxied = makeClients(proxy.config);
  watches = new JobWatches(proxied, undefined, undefined, timings);
  acts = createActivities(proxied, watches);
});
afterAll(async () => {
  watches.stop();
  await proxy.close();
});

const direct = activityKit();
afterAll(() => direct.watches.stop());

/** Deploys a simulated validator directly (not through the proxy) and waits until the proxied cache sees its pod. */
async function deployed(name: string, sandbox: Record<string, string>) {
  const namespace = testNamespace();
  const spec = simulated(name, sandbox);
  const ctx = jobContext(`run-${name}`, namespace, spec.name);
  await inActivity(direct.acts.deployJob, { spec, ctx });
  await watches.use(namespace, (w) => eventually(() => Promise.resolve(w.pods.get(ctx.jobName).length > 0 || undefined), 'the cache to see the pod', 10_000));
  return { namespace, jobName: ctx.jobName };
}

const staleNow = (namespace: string) => watches.use(namespace, (w) => Promise.resolve(JobWatches.isStale(w)));

afterEach(() => {
  proxy.holdWatchHeaders = false;
  proxy.refuse = false;
});

test('a Job that finished while the watches were stalled is reported succeeded at the deadline, not timeout', async () => {
  const ref = await deployed('finishes-unseen', { 'exit-code': '0', 'duration-seconds': '3' });
  const deadline = Date.now() + 7_000;
  const waiting = inActivity(acts.awaitJob, { ...ref, thresholds, deadline });
  proxy.holdWatchHeaders = true;
  proxy.stallStreams();
  await eventually(() => staleNow(ref.namespace).then((s) => s || undefined), 'the cache to say it is stale', 5_000);
  await expect(waiting).resolves.toEqual({ outcome: 'succeeded' });
  expect(Date.now()).toBeGreaterThanOrEqual(deadline); // concluded at the deadline, from the API server itself
  const cachedPhase = await watches.use(ref.namespace, (w) => Promise.resolve(w.pods.get(ref.jobName)[0]?.status?.phase));
  expect(cachedPhase).not.toBe('Succeeded'); // the stale cache never saw the end
  proxy.holdWatchHeaders = false;
  await eventually(() => staleNow(ref.namespace).then((s) => !s || undefined), 'the cache to be current again', 5_000);
  await inActivity(direct.acts.deleteJob, { ...ref });
});

test('with the watches stale and the API server unreachable, the wait fails retryably instead of reporting timeout', async () => {
  const ref = await deployed('never-seen-again', { hang: 'true' });
  const waiting = inActivity(acts.awaitJob, { ...ref, thresholds, deadline: Date.now() + 4_000 });
  proxy.refuse = true;
  proxy.drop();
  await eventually(() => staleNow(ref.namespace).then((s) => s || undefined), 'the cache to say it is stale', 5_000);
  const failure = await waiting.then(
    (outcome) => outcome,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ nonRetryable: false, type: failureTypes.unavailable });
  proxy.refuse = false;
  await inActivity(direct.acts.deleteJob, { ...ref });
});

test('when the first lists never come, a wait fails in time with the reason, not by missing heartbeats', async () => {
  const proxied = makeClients(proxy.config);
  const unreachable = new JobWatches(proxied, undefined, undefined, { ...timings, syncTimeoutMs: 1_500 });
  proxy.refuse = true;
  try {
    const started = Date.now();
    const waiting = inActivity(createActivities(proxied, unreachable).awaitJob, { namespace: testNamespace(), jobName: 'never-listed', thresholds, deadline: Date.now() + 60_000 });
    await expect(waiting).rejects.toThrow(/have not listed within 1.5 s: .*(socket|ECONNRESET|TLS)/);
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    unreachable.stop();
  }
});
