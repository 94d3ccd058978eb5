// Kubernetes API clients from a kubeconfig (KUBECONFIG or ~/.kube/config) or in-cluster credentials.
import * as k8s from '@kubernetes/client-node';

export interface Clients {
  config: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  batch: k8s.BatchV1Api;
  rbac: k8s.RbacAuthorizationV1Api;
  authz: k8s.AuthorizationV1Api;
  objects: k8s.KubernetesObjectApi;
}

export function loadKubeConfig(kubeconfigPath?: string): k8s.KubeConfig {
  const config = new k8s.KubeConfig();
  if (kubeconfigPath) config.loadFromFile(kubeconfigPath);
  else config.loadFromDefault();
  return config;
}

export function makeClients(config: k8s.KubeConfig = loadKubeConfig()): Clients {
  return {
    config,
    core: config.makeApiClient(k8s.CoreV1Api),
    batch: config.makeApiClient(k8s.BatchV1Api),
    rbac: config.makeApiClient(k8s.RbacAuthorizationV1Api),
    authz: config.makeApiClient(k8s.AuthorizationV1Api),
    objects: k8s.KubernetesObjectApi.makeApiClient(config),
  };
}
