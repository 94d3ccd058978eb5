// A private CA and the certificates the control plane needs, made once with openssl and kept in
// the state directory: the apiserver's serving cert, an admin client cert (system:masters) and
// the service-account signing key.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths } from './layout';

export const pkiFile = (name: string) => join(paths.pki(), name);

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: paths.pki(), stdio: ['ignore', 'ignore', 'pipe'] });
}

function issue(name: string, subject: string, extensions: string): void {
  writeFileSync(pkiFile(`${name}.ext`), extensions);
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '3650', '-out', `${name}.crt`, '-extfile', `${name}.ext`]);
}

export function ensurePki(): void {
  if (existsSync(pkiFile('admin.crt'))) return;
  mkdirSync(paths.pki(), { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=verdict-sandbox-ca']);
  issue(
    'apiserver',
    '/CN=kube-apiserver',
    'subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:127.0.0.1,IP:10.96.0.1\nextendedKeyUsage=serverAuth\n',
  );
  issue('admin', '/O=system:masters/CN=verdict-admin', 'extendedKeyUsage=clientAuth\n');
  openssl(['genrsa', '-out', 'sa.key', '2048']);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
}

/** The real node's kubelet client certificate: the Node authorizer's identity for that node. */
export function ensureNodeCert(nodeName: string): void {
  if (existsSync(pkiFile('node.crt'))) return;
  issue('node', `/O=system:nodes/CN=system:node:${nodeName}`, 'extendedKeyUsage=clientAuth\n');
}
