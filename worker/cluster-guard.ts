// A worker serves one cluster: it refuses, without retries, an activity whose run names another
// (the header src/workflows/interceptors.ts puts on it). Activities without the header come from
// runs started before clusters had identities, and run as before.
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { clusterHeader, wrongCluster } from '../src/core/cluster';
import { failureTypes } from '../src/core/failures';

export function clusterGuard(served: string): ActivityInterceptorsFactory {
  return () => ({
    inbound: {
      execute(input, next) {
        const header = input.headers[clusterHeader];
        const why = wrongCluster(header ? defaultPayloadConverter.fromPayload<string>(header) : undefined, served);
        if (why) throw ApplicationFailure.nonRetryable(why, failureTypes.wrongCluster);
        return next(input);
      },
    },
  });
}
