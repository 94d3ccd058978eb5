// Kubernetes errors as Temporal failures, on purpose: what retrying cannot fix (403, 422, a name
// taken by someone else) fails at once with a readable message; 5xx, 429 and connection errors
// are retried. Messages never carry the client's raw exception, which embeds HTTP headers.
import { ApplicationFailure } from '@temporalio/common';
import { ApiException } from '@kubernetes/client-node';
import { failureTypes, httpFailureType } from '../core/failures';

interface StatusBody {
  message?: string;
  reason?: string;
}

export function statusCode(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

export const isNotFound = (err: unknown) => statusCode(err) === 404;
export const isConflict = (err: unknown) => statusCode(err) === 409;

/** The API server's own words from an ApiException body (JSON text or object). */
function apiMessage(err: ApiException<unknown>): { message: string; reason?: string } {
  let body: unknown = err.body;
  if (typeof err.body === 'string') {
    try {
      body = JSON.parse(err.body);
    } catch {
      return { message: err.body.slice(0, 500) };
    }
  }
  const status = (body ?? {}) as StatusBody;
  return { message: status.message ?? `HTTP ${err.code}`, reason: status.reason };
}

/** Rethrows `err` as the right Temporal failure, with `doing` ("creating Job x in y") as context. */
export function toFailure(err: unknown, doing: string): Error {
  if (err instanceof ApplicationFailure) return err;
  if (!(err instanceof ApiException)) {
    const text = err instanceof Error ? err.message : String(err);
    return ApplicationFailure.retryable(`${doing}: cannot reach the Kubernetes API: ${text}`, failureTypes.unavailable);
  }
  const code = err.code;
  const { message, reason } = apiMessage(err);
  const text = `${doing}: ${message}${reason ? ` (${reason})` : ''}`;
  if (code === 401 || code === 403) return ApplicationFailure.nonRetryable(text, failureTypes.forbidden);
  if (code === 400 || code === 422) return ApplicationFailure.nonRetryable(text, failureTypes.invalid);
  if (code === 409 && reason !== 'AlreadyExists') return ApplicationFailure.nonRetryable(text, failureTypes.conflict);
  return ApplicationFailure.retryable(text, httpFailureType(code));
}

/** Runs a Kubernetes call, mapping any error with `toFailure`. */
export async function k8sCall<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toFailure(err, doing);
  }
}
