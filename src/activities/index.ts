// Every activity, bound to one set of Kubernetes clients, the worker's shared Job watches, its policy and its notification targets.
import type { Clients } from '../k8s/client';
import type { JobWatches } from '../k8s/job-watch';
import { historyActivities } from './history';
import { fleetActivities } from './fleet';
import { jobActivities } from './jobs';
import { lockActivities } from './lock';
import { originActivities } from './origin';
import { namespaceActivities } from './namespace';
import { notifyActivities, type NotifySettings } from './notify';
import { permissionActivities } from './permissions';
import { policyActivities } from './policy';
import { defaultPolicy, type Policy } from '../core/policy';
import { runResourceActivities } from './run-resources';

export function createActivities(clients: Clients, watches: JobWatches, policy: Policy = defaultPolicy, notifications?: NotifySettings) {
  return {
    ...policyActivities(policy),
    ...permissionActivities(clients),
    ...namespaceActivities(clients),
    ...runResourceActivities(clients),
    ...jobActivities(clients, watches),
    ...historyActivities(),
    ...lockActivities(),
    ...fleetActivities(),
    ...originActivities(),
    ...notifyActivities(notifications),
  };
}

export type Activities = ReturnType<typeof createActivities>;
