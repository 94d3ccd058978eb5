#!/usr/bin/env node
// The sandbox's stand-in for the kubelet's logs endpoint. kwok simulates pod lifecycles but its
// log files cannot differ per pod, so this server answers the apiserver's
// GET /containerLogs/{namespace}/{pod}/{container} from the pod's `sandbox.verdict.dev/stdout`
// annotation. `kubectl logs` and the client's readNamespacedPodLog go through the real apiserver
// to reach it, exactly as they would reach a kubelet.
//
// usage: kubelet-logs.js <port> <apiserver-url> <pki-dir>
'use strict';
const https = require('node:https');
const fs = require('node:fs');
const path = require('node:path');

const [port, apiserver, pki] = process.argv.slice(2);
const read = (name) => fs.readFileSync(path.join(pki, name));
const tls = { ca: read('ca.crt'), cert: read('admin.crt'), key: read('admin.key') };

function getPod(namespace, name) {
  return new Promise((resolve, reject) => {
    const url = `${apiserver}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
    https
      .get(url, tls, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(Object.assign(new Error(body), { status: res.statusCode }))));
      })
      .on('error', reject);
  });
}

// Like the kubelet: no logs before the container has started.
function startedState(pod, container) {
  const status = (pod.status?.containerStatuses ?? []).find((c) => c.name === container);
  return status?.state?.running || status?.state?.terminated ? undefined : status?.state?.waiting?.reason ?? 'ContainerCreating';
}

function render(pod, query) {
  const text = pod.metadata.annotations?.['sandbox.verdict.dev/stdout'] ?? '';
  let lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const tail = Number(query.get('tailLines') ?? -1);
  if (tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
  let out = lines.map((l) => `${l}\n`).join('');
  const limit = Number(query.get('limitBytes') ?? 0);
  if (limit > 0) out = Buffer.from(out).subarray(0, limit).toString();
  return out;
}

async function handle(req, res) {
  const url = new URL(req.url, 'https://kubelet');
  const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (url.pathname === '/healthz') return res.end('ok');
  if (!m) return send(res, 404, 'not found');
  const [namespace, name, container] = m.slice(1).map(decodeURIComponent);
  try {
    const pod = await getPod(namespace, name);
    const waiting = startedState(pod, container);
    if (waiting) return send(res, 400, `container "${container}" in pod "${name}" is waiting to start: ${waiting}`);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(render(pod, url.searchParams));
  } catch (err) {
    send(res, err.status === 404 ? 404 : 500, err.message);
  }
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(text);
}

https
  .createServer({ cert: read('apiserver.crt'), key: read('apiserver.key') }, (req, res) => void handle(req, res))
  .listen(Number(port), '127.0.0.1', () => console.log(`kubelet-logs listening on 127.0.0.1:${port}`));
