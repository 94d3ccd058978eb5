// What Temporal keeps of a run, read without a worker: the input it was started with (its
// history's first event) and, once it has ended, its validators' states (from its result).
import { isGrpcServiceError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { CtrfReport } from '../core/ctrf';
import type { RunInput } from '../core/run';
import type { Phase } from '../core/spec';
import { progressQuery, type runSuite, type RunProgress } from '../workflows';

type RunHandle = WorkflowHandle<typeof runSuite>;
const grpcNotFound = 5;

/** The run's input as it was started (decoded with the client's codec: secret values come back as they were given). */
export async function runInputOf(client: Client, runId: string): Promise<RunInput> {
  const history = await client.workflow
    .getHandle(runId)
    .fetchHistory()
    .catch((err: unknown) => {
      // fetchHistory reports an unknown workflow as the service's NOT_FOUND, where describe() throws WorkflowNotFoundError.
      throw isGrpcServiceError(err) && Number(err.code) === grpcNotFound ? new WorkflowNotFoundError(`no run with ID ${runId}`, runId, undefined) : err;
    });
  const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  if (!payloads?.length) throw new Error(`run ${runId} has no recorded input`);
  const { payloadConverter, payloadCodecs } = client.options.loadedDataConverter;
  let decoded = payloads;
  for (const codec of [...payloadCodecs].reverse()) decoded = await codec.decode(decoded);
  return payloadConverter.fromPayload<RunInput>(decoded[0]);
}

/**
 * Each validator's state. A run that completed answers from its result, which needs no worker (a
 * query of an ended run replays it on a worker); one still running, or ended without a result, is queried.
 */
export async function runProgress(handle: RunHandle): Promise<RunProgress> {
  const { status } = await handle.describe();
  if (status.name !== 'COMPLETED') return handle.query(progressQuery);
  const { status: runStatus, report } = await handle.result();
  return { status: runStatus, validators: validatorStates(report) };
}

export function validatorStates(report: CtrfReport): RunProgress['validators'] {
  return report.results.tests.map((t) => ({
    name: t.name,
    phase: t.suite?.[0] as Phase,
    state: t.status,
    ...(t.extra?.reason ? { reason: t.extra.reason } : {}),
    ...(t.message ? { message: t.message } : {}),
  }));
}
