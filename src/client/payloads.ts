// Reading what a workflow's event history holds, as the client's data converter (and codec) would.
import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type Payload = temporal.api.common.v1.IPayload;
const grpcNotFound = 5;

/** Payloads this client cannot decode: another codec key wrote them, or a codec this client lacks. Retrying cannot help. */
export class PayloadDecodeError extends Error {}

/** The values in `payloads`, decoded by the client's codecs (last applied first) and converter. */
export async function decodedValues<T>(client: Client, payloads: Payload[]): Promise<T[]> {
  const { payloadConverter, payloadCodecs } = client.options.loadedDataConverter;
  try {
    let decoded = payloads;
    for (const codec of [...payloadCodecs].reverse()) decoded = await codec.decode(decoded);
    return decoded.map((p) => payloadConverter.fromPayload<T>(p));
  } catch (err) {
    throw new PayloadDecodeError(err instanceof Error ? err.message : String(err));
  }
}

/** A workflow's event history; an unknown workflow is Temporal's WorkflowNotFoundError, as describe() throws it. */
export async function eventsOf(client: Client, workflowId: string): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  const history = await client.workflow
    .getHandle(workflowId)
    .fetchHistory()
    .catch((err: unknown) => {
      throw isGrpcServiceError(err) && Number(err.code) === grpcNotFound ? new WorkflowNotFoundError(`no workflow with ID ${workflowId}`, workflowId, undefined) : err;
    });
  return history.events ?? [];
}
