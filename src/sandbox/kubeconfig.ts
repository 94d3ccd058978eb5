// The sandbox's admin kubeconfig, with the certificates inlined so it can be copied anywhere.
import { readFileSync, writeFileSync } from 'node:fs';
import { paths } from './layout';
import { pkiFile } from './pki';

const b64 = (name: string) => readFileSync(pkiFile(name)).toString('base64');

export function writeKubeconfig(apiserverPort: number): string {
  const text = `apiVersion: v1
kind: Config
clusters:
- name: verdict-sandbox
  cluster:
    server: https://127.0.0.1:${apiserverPort}
    certificate-authority-data: ${b64('ca.crt')}
users:
- name: verdict-admin
  user:
    client-certificate-data: ${b64('admin.crt')}
    client-key-data: ${b64('admin.key')}
contexts:
- name: verdict-sandbox
  context: { cluster: verdict-sandbox, user: verdict-admin }
current-context: verdict-sandbox
`;
  writeFileSync(paths.kubeconfig(), text, { mode: 0o600 });
  return paths.kubeconfig();
}
