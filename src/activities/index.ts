// Every activity, bound to one set of Kubernetes clients, the worker's shared Job watches and its policy.
import type { Clients } from '../k8s/client';
import type { JobWatches } from '../k8s/job-watch';
import { historyActivities } from './history';
import { jobActivities } from './jobs';
import { originActivities } from './origin';
import { namespaceActivities } from './namespace';
import { permissionActivities } from './permissions';
import { policyActivities } from './policy';
import { defaultPolicy, type Policy } from '../core/policy';
import { runResourceActivities } from './run-resources';

export function createActivities(clients: Clients, watches: JobWatches, policy: Policy = defaultPolicy) {
  return {
    ...policyActivities(policy),
    ...permissionActivities(clients),
    ...namespaceActivities(clients),
    ...runResourceActivities(clients),
    ...jobActivities(clients, watches),
    ...historyActivities(),
    ...originActivities(),
  };
}

export type Activities = ReturnType<typeof createActivities>;
