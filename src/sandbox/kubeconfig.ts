// The sandbox's admin kubeconfig, with the certificates inlined so it can be copied anywhere.
import { readFileSync, writeFileSync } from 'node:fs';
import { paths } from './layout';
import { pkiFile } from './pki';

const b64 = (name: string) => readFileSync(pkiFile(name)).toString('base64');

/** A kubeconfig for the sandbox's apiserver as `user`, authenticated by the PKI's `<cert>.crt` and `<cert>.key`. */
export function kubeconfigText(apiserverPort: number, user: string, cert: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: verdict-sandbox
  cluster:
    server: https://127.0.0.1:${apiserverPort}
    certificate-authority-data: ${b64('ca.crt')}
users:
- name: ${user}
  user:
    client-certificate-data: ${b64(`${cert}.crt`)}
    client-key-data: ${b64(`${cert}.key`)}
contexts:
- name: verdict-sandbox
  context: { cluster: verdict-sandbox, user: ${user} }
current-context: verdict-sandbox
`;
}

export function writeKubeconfig(apiserverPort: number): string {
  writeFileSync(paths.kubeconfig(), kubeconfigText(apiserverPort, 'verdict-admin', 'admin'), { mode: 0o600 });
  return paths.kubeconfig();
}
