// Reading a validator's pod: its own container first, then the init containers that must succeed
// before it runs. Other regular containers (an injected sidecar) never decide the validator's fate.
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { containerName } from './job';
import { reasons } from './reasons';

/** The validator container's status (by name: the kubelet sorts statuses by name, so a sidecar may come first). */
export const validatorStatus = (pod: V1Pod | undefined): V1ContainerStatus | undefined => pod?.status?.containerStatuses?.find((c) => c.name === containerName);

/** A native sidecar (an init container with restartPolicy Always) runs beside the validator by design. */
export const isNativeSidecar = (pod: V1Pod, name: string): boolean => pod.spec?.initContainers?.some((c) => c.name === name && c.restartPolicy === 'Always') ?? false;

/** Init containers that must finish before the validator starts (native sidecars excluded). */
const regularInitStatuses = (pod: V1Pod) => (pod.status?.initContainerStatuses ?? []).filter((s) => !isNativeSidecar(pod, s.name));

/**
 * The init container whose failure ended the pod: with restartPolicy Never a non-zero exit is
 * final (kubectl shows Init:Error). Read from the last terminated state too, in case a kubelet
 * already shows it waiting again.
 */
export function failedInitContainer(pod: V1Pod): { reason: string; message: string } | undefined {
  for (const s of regularInitStatuses(pod)) {
    const t = s.state?.terminated ?? (s.state?.waiting ? s.lastState?.terminated : undefined);
    if (!t || t.exitCode === 0) continue;
    // A message written with echo ends in a newline: the kubelet keeps it, the report does not.
    const detail = [t.reason, t.message?.trim()].filter(Boolean).join(': ');
    return { reason: reasons.initContainerFailed, message: `init container "${s.name}" exited with code ${t.exitCode}${detail ? ` (${detail})` : ''}; the validator never ran` };
  }
  return undefined;
}

/**
 * Statuses that can hold the validator back while it has not started: its own, and every init
 * container's (a native sidecar that cannot pull blocks the validator too). Once the validator
 * runs or has run, nothing else can keep it from its result.
 */
export function blockingStatuses(pod: V1Pod): { status: V1ContainerStatus; init: boolean }[] {
  const own = validatorStatus(pod);
  if (own?.state?.running || own?.state?.terminated) return [];
  const init = (pod.status?.initContainerStatuses ?? []).map((status) => ({ status, init: true }));
  return [...init, ...(own ? [{ status: own, init: false }] : [])];
}

/**
 * The pod's node is gone: Kubernetes deletes the pod for its unreachable node (taint manager), and
 * nothing of it will settle, nor its log be read, until the node returns.
 */
export const onLostNode = (pod: V1Pod | undefined): boolean =>
  pod?.status?.conditions?.some((c) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'DeletionByTaintManager') ?? false;
