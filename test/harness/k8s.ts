// Kubernetes clients for tests, on the sandbox's kubeconfig.
import { makeClients, loadKubeConfig, type Clients } from '../../src/k8s/client';
import { paths } from '../../src/sandbox/layout';

let cached: Clients | undefined;
export function clients(): Clients {
  cached ??= makeClients(loadKubeConfig(process.env.KUBECONFIG ?? paths.kubeconfig()));
  return cached;
}
