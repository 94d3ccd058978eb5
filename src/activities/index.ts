// Every activity, bound to one set of Kubernetes clients and the worker's shared Job watches.
import type { Clients } from '../k8s/client';
import type { JobWatches } from '../k8s/job-watch';
import { jobActivities } from './jobs';
import { namespaceActivities } from './namespace';
import { permissionActivities } from './permissions';
import { runResourceActivities } from './run-resources';

export function createActivities(clients: Clients, watches: JobWatches) {
  return {
    ...permissionActivities(clients),
    ...namespaceActivities(clients),
    ...runResourceActivities(clients),
    ...jobActivities(clients, watches),
  };
}

export type Activities = ReturnType<typeof createActivities>;
