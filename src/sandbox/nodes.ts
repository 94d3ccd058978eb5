// The simulated nodes kwok manages: plain workers and one GPU node, labelled and tainted as a
// GPU operator would, so nodeSelector and toleration behaviour is real.
export const gpuNode = {
  label: { key: 'nvidia.com/gpu.present', value: 'true' },
  taint: { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
  resource: 'nvidia.com/gpu',
} as const;

export function nodeManifests(workers: number, kubeletPort: number): object[] {
  const nodes = Array.from({ length: workers }, (_, i) => node(`verdict-worker-${i + 1}`, false, kubeletPort));
  return [...nodes, node('verdict-gpu-1', true, kubeletPort)];
}

function node(name: string, gpu: boolean, kubeletPort: number): object {
  const capacity: Record<string, string> = { cpu: '32', memory: '128Gi', pods: '250', 'ephemeral-storage': '500Gi' };
  if (gpu) capacity[gpuNode.resource] = '8';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': gpu ? 'sandbox-gpu' : 'sandbox',
        'app.kubernetes.io/part-of': 'verdict-sandbox',
        ...(gpu ? { [gpuNode.label.key]: gpuNode.label.value } : {}),
      },
    },
    spec: gpu ? { taints: [gpuNode.taint] } : {},
    status: {
      capacity,
      allocatable: capacity,
      // Where the apiserver sends logs requests: the sandbox's kubelet-logs server.
      daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
    },
  };
}
