// A fleet's steps on Temporal alone, with the worker's own client: whether a cluster has workers,
// starting its run on them, waiting for that run's summary, and cancelling it. The cluster runs
// are not child workflows, so their reports never enter the fleet's history. All idempotent.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure, TerminatedFailure } from '@temporalio/common';
import { clusterWorkers } from '../client/clusters';
import { taskQueueFor } from '../core/cluster';
import type { ClusterOutcome } from '../core/fleet';
import type { RunInput } from '../core/run';
import { rootMessage } from '../core/run';
import type { runSuite } from '../workflows';

/** A worker counts as live when it polled this recently (a long poll lasts about a minute). */
const livePollMs = 90_000;
const pollMs = 2_000;

type RunRef = { workflowId: string; execution: string };
const handleOf = (r: RunRef): WorkflowHandle<typeof runSuite> => Context.current().client.workflow.getHandle<typeof runSuite>(r.workflowId, r.execution);

export const fleetActivities = () => ({
  /** True once a worker of the cluster polls its task queue; false if none does within `withinMs`. */
  async awaitClusterWorkers(input: { cluster: string; withinMs: number }): Promise<boolean> {
    const ctx = Context.current();
    const deadline = Date.now() + input.withinMs;
    for (;;) {
      const { workers } = await clusterWorkers(ctx.client, input.cluster);
      if (workers.some((w) => Date.now() - w.lastSeen.getTime() < livePollMs)) return true;
      if (Date.now() >= deadline) return false;
      ctx.heartbeat();
      await ctx.sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
    }
  },
  /** Starts the cluster's run on its task queue; a retry finds the one it started. */
  async startClusterRun(input: { workflowId: string; run: RunInput & { cluster: string } }): Promise<RunRef> {
    const { client } = Context.current();
    try {
      const h = await client.workflow.start<typeof runSuite>('runSuite', {
        workflowId: input.workflowId,
        taskQueue: taskQueueFor(input.run.cluster),
        args: [input.run],
        staticSummary: `suite ${input.run.suite.name} on cluster ${input.run.cluster}, in a fleet run`,
      });
      return { workflowId: h.workflowId, execution: h.firstExecutionRunId };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const d = await client.workflow.getHandle(input.workflowId).describe();
      return { workflowId: d.workflowId, execution: d.runId };
    }
  },
  /** Waits, however long, for the cluster's run to close (its workers may come and go) and keeps its summary. */
  async awaitClusterRun(input: RunRef & { cluster: string }): Promise<ClusterOutcome> {
    const ctx = Context.current();
    const beat = setInterval(() => ctx.heartbeat(), 5_000);
    const ref = { cluster: input.cluster, runId: input.workflowId, execution: input.execution };
    try {
      const out = await Promise.race([handleOf(input).result(), ctx.cancelled]);
      const validators = Object.fromEntries(out.report.results.tests.map((t) => [t.name, t.status]));
      return { ...ref, status: out.status, summary: out.report.results.summary, validators };
    } catch (err) {
      if (!(err instanceof WorkflowFailedError)) throw err; // cancelled, or Temporal unreachable: retried
      const cancelled = err.cause instanceof CancelledFailure || err.cause instanceof TerminatedFailure;
      return { ...ref, status: cancelled ? 'cancelled' : 'error', message: rootMessage(err.cause ?? err) };
    } finally {
      clearInterval(beat);
    }
  },
  /** Asks the cluster's run to cancel (it cleans up before it closes); one already closed needs nothing. */
  async cancelClusterRun(input: RunRef): Promise<void> {
    await handleOf(input).cancel().catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
  },
});
