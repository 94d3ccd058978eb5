// Validators for the sandbox's real node (containerd + kubelet): real shell scripts in the local
// validator-base image, placed on the node by its label and taint.
import type { Phase, ValidatorInput } from '../../src/core/spec';
import { imageRef, nodeImages, nodeName, realNodeLabel, realNodeTaint } from '../../src/sandbox/node-layout';
import { realNodeUnavailable } from '../../src/sandbox/real-node';
import { clients } from './k8s';

export { nodeName as realNodeName };
/** busybox-static, one symlink per applet, runs as 65534: in the sandbox's registry. */
export const validatorBase = imageRef(nodeImages.validatorBase);

export const onRealNode = {
  nodeSelector: { [realNodeLabel.key]: realNodeLabel.value },
  tolerations: [{ key: realNodeTaint.key, operator: 'Equal' as const, value: realNodeTaint.value, effect: realNodeTaint.effect }],
};

/** A validator that runs `script` with the base image's sh on the real node. */
export function script(name: string, phase: Phase, body: string, extra: Partial<ValidatorInput> = {}): ValidatorInput {
  return { name, phase, image: validatorBase, command: ['sh', '-c', body], ...onRealNode, ...extra };
}

/** Fails (never skips) when the real node is not Ready, saying why the sandbox could not start it. */
export async function requireRealNode(): Promise<void> {
  const node = await clients().core.readNode({ name: nodeName }).catch(() => undefined);
  const ready = node?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  if (!ready) {
    const why = realNodeUnavailable() ?? (node ? 'it is registered but not Ready' : 'it is not registered');
    throw new Error(`the sandbox's real node ${nodeName} is not Ready: ${why}; 'verdict sandbox up' adds it to a running sandbox`);
  }
}
