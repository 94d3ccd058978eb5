// Whether a kubeconfig's cluster answers, asked once with a short timeout: a CLI that would run
// a worker against it says so at once instead of retrying activities for minutes.
import * as k8s from '@kubernetes/client-node';
import { statusCode } from './errors';

/** Why the cluster of `kubeconfigPath` cannot be used, or undefined when it answers. */
export async function clusterProblem(kubeconfigPath: string, timeoutMs = 10_000): Promise<string | undefined> {
  const config = new k8s.KubeConfig();
  try {
    config.loadFromFile(kubeconfigPath);
  } catch (err) {
    return `cannot read kubeconfig ${kubeconfigPath}: ${err instanceof Error ? err.message : String(err)}`;
  }
  const server = config.getCurrentCluster()?.server;
  if (!server) return `kubeconfig ${kubeconfigPath} names no current cluster: set current-context`;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${timeoutMs / 1000}s`), timeoutMs)));
  const asked = config
    .makeApiClient(k8s.VersionApi)
    .getCode()
    .then(() => undefined)
    .catch((err: unknown) => {
      const code = statusCode(err);
      if (code === 401) return 'its credentials were refused (401)';
      if (code !== undefined) return undefined; // it answered: permissions are the pre-check's business
      return err instanceof Error ? err.message : String(err);
    });
  const why = await Promise.race([asked, timeout]).finally(() => clearTimeout(timer));
  return why && `cannot reach the Kubernetes API at ${server} (kubeconfig ${kubeconfigPath}): ${why}`;
}
