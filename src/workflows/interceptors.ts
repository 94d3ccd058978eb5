// The run's cluster travels with its work: every activity and child workflow a run schedules
// carries it as a header, which the worker that picks the activity up checks (worker/cluster-guard.ts).
// A run learns its cluster from its input; a validator's workflow from its parent's header. Runs
// started before the cluster patch carry none, so a worker upgraded under them runs them as before.
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import { clusterHeader, clusterOfRunInput } from '../core/cluster';
import { takes } from './patches';

export const interceptors: wf.WorkflowInterceptorsFactory = () => {
  let cluster: string | undefined;
  const stamped = <T extends { headers: Headers }>(input: T): T =>
    cluster === undefined ? input : { ...input, headers: { ...input.headers, [clusterHeader]: defaultPayloadConverter.toPayload(cluster) } };
  return {
    inbound: [
      {
        execute(input, next) {
          const inherited = input.headers[clusterHeader];
          const own = clusterOfRunInput(input.args[0]);
          if (own !== undefined) cluster = takes('cluster') ? own : undefined;
          else if (inherited) cluster = defaultPayloadConverter.fromPayload<string>(inherited);
          return next(input);
        },
      },
    ],
    outbound: [{ scheduleActivity: (input, next) => next(stamped(input)), startChildWorkflowExecution: (input, next) => next(stamped(input)) }],
  };
};
