// Activity options, chosen per kind of step. Kubernetes calls retry with backoff for as long as
// a short outage could last; what retrying cannot fix fails at once (see src/k8s/errors.ts).
import type { ActivityOptions } from '@temporalio/workflow';
import { nonRetryableFailureTypes as nonRetryableErrorTypes } from '../core/failures';
import { heartbeatTimeoutMs } from '../core/heartbeat';

const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '15s', nonRetryableErrorTypes };

/** One or a few API calls: fast, retried through API-server restarts for up to ten minutes. */
export const apiCall: ActivityOptions = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '10m',
  retry,
};

/** Waits on watches: long, so it heartbeats, and a lost worker is noticed within the heartbeat timeout. */
export const watching: ActivityOptions = {
  startToCloseTimeout: '2h',
  heartbeatTimeout: heartbeatTimeoutMs,
  retry,
};
