// A fleet run: the suite on every cluster at once. Per cluster: wait (bounded) for a worker to poll
// its queue, else report it unavailable; start its run there; wait for the run's summary for as
// long as it takes. Cancelling the fleet cancels every cluster's run and waits for their cleanup.
import * as wf from '@temporalio/workflow';
import { ApplicationFailure } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { taskQueueFor } from '../core/cluster';
import { failureTypes } from '../core/failures';
import { parseDuration } from '../core/duration';
import { clusterRunId, fleetInputSchema, fleetReport, fleetStatus, type ClusterOutcome, type Fleet, type FleetInput, type FleetStatus } from '../core/fleet';
import { rootMessage, toolVersion } from '../core/run';
import type { CtrfReport } from '../core/ctrf';
import { describeIssues } from '../core/spec';
import { searchAttributeKeys as sa } from '../../temporal-config/search-attributes';
import { apiCall, watching } from './activity-options';

export interface FleetOutput {
  status: FleetStatus;
  report: CtrfReport;
}

const api = wf.proxyActivities<Activities>(apiCall);
// A cluster's run may wait out a lost worker for days: no end to the wait but the run's own.
const waiting = wf.proxyActivities<Activities>({ ...watching, startToCloseTimeout: '30 days' });

export async function runFleet(input: FleetInput): Promise<FleetOutput> {
  const parsed = fleetInputSchema.safeParse(input);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(`invalid fleet run input:\n${describeIssues(parsed.error)}`, failureTypes.invalidSuite);
  const fleet = parsed.data;
  const runId = wf.workflowInfo().workflowId;
  const start = Date.now();
  wf.upsertSearchAttributes([
    { key: sa.suite, value: fleet.suite.name },
    { key: sa.status, value: 'running' },
    { key: sa.validatorCount, value: fleet.suite.validators.length * fleet.clusters.length },
  ]);
  const outcomes = await Promise.all(fleet.clusters.map((cluster) => onCluster(fleet, runId, cluster)));
  const cancelled = wf.CancellationScope.current().consideredCancelled;
  const status = fleetStatus(outcomes, cancelled);
  wf.upsertSearchAttributes([
    { key: sa.status, value: status },
    { key: sa.failedCount, value: outcomes.filter((o) => o.status !== 'passed').length },
  ]);
  return { status, report: fleetReport(fleet, outcomes, { reportId: wf.uuid4(), start, stop: Date.now(), toolVersion, runId, status }) };
}

/** One cluster's part: never throws, so one cluster cannot stop the others. */
async function onCluster(fleet: Fleet, fleetRunId: string, cluster: string): Promise<ClusterOutcome> {
  const withinMs = parseDuration(fleet.unavailableAfter)! * 1000;
  try {
    const live = await waiting.awaitClusterWorkers.executeWithOptions({ summary: `wait for a worker of cluster ${cluster}` }, [{ cluster, withinMs }]);
    if (!live) return { cluster, status: 'unavailable', message: `no worker polled task queue ${taskQueueFor(cluster)} within ${fleet.unavailableAfter}` };
  } catch (err) {
    if (wf.isCancellation(err)) return { cluster, status: 'cancelled', message: 'the fleet run was cancelled before this cluster started' };
    throw err;
  }
  const workflowId = clusterRunId(fleetRunId, cluster);
  // Started whatever happens next: a cancellation from here on reaches the run through cancelClusterRun.
  const ref = await wf.CancellationScope.nonCancellable(() =>
    api.startClusterRun.executeWithOptions({ summary: `start the run on cluster ${cluster}` }, [{ workflowId, run: { suite: fleet.suite, labels: fleet.labels, cluster } }]),
  ).catch((err: unknown) => err as Error);
  if (ref instanceof Error) return { cluster, status: 'error', message: `the run could not be started: ${rootMessage(ref)}` };
  const awaitRun = () => waiting.awaitClusterRun.executeWithOptions({ summary: `wait for the run on cluster ${cluster}` }, [{ ...ref, cluster }]);
  try {
    return await awaitRun();
  } catch (err) {
    if (!wf.isCancellation(err)) return { cluster, status: 'error', runId: ref.workflowId, execution: ref.execution, message: rootMessage(err) };
    // The fleet was cancelled: cancel this cluster's run and wait for it to clean up and close.
    return wf.CancellationScope.nonCancellable(async () => {
      await api.cancelClusterRun.executeWithOptions({ summary: `cancel the run on cluster ${cluster}` }, [ref]);
      return awaitRun();
    });
  }
}
