// Notifications from a real worker to a real HTTP server on loopback that records what it got:
// Slack and JSON bodies with the run's counts, changes and link, one Idempotency-Key per run and
// rule however often a send is retried, a refusal named in the report, and no URL in history.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRun } from '../../src/client';
import { historyWorkflowId } from '../../src/core/history';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { sandboxPolicy } from '../../src/core/policy';
import { sim, suite } from '../harness/suites';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** Records every request; /busy answers 503 to its first request, /gone always 404, the rest 200. */
async function receiver() {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (d: Buffer) => (data += d.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(data) as Record<string, unknown> });
      const busyFirst = req.url === '/busy' && received.filter((r) => r.path === '/busy').length === 1;
      res.statusCode = req.url === '/gone' ? 404 : busyFirst ? 503 : 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

test('a failed run is announced to Slack and JSON receivers once each, a busy receiver retried with the same key, a refusal reported', async () => {
  const http = await receiver();
  const name = `notify-${randomUUID().slice(0, 8)}`;
  const targets = { 'team-slack': { url: `${http.url}/slack`, format: 'slack' as const }, 'ops-json': { url: `${http.url}/busy`, format: 'json' as const }, gone: { url: `${http.url}/gone`, format: 'json' as const } };
  const notify = [{ target: 'team-slack', when: 'failure' as const }, { target: 'ops-json', when: 'always' as const }, { target: 'gone', when: 'always' as const }, { target: 'on-pass-only', when: 'change' as const }];
  try {
    const out = await withVerdictWorker(
      async (taskQueue, client) => {
        const s = suite(name, testNamespace(), [sim('passes', 'readiness', { 'exit-code': '0' }), sim('fails', 'readiness', { 'exit-code': '1' })], { failFast: false, notify });
        const handle = await startRun(client, { suite: s }, { taskQueue });
        const result = await handle.result();
        await client.workflow.getHandle(historyWorkflowId('default', name)).terminate('test over');
        // Payload data decoded as text, so a URL anywhere in an input, result or failure would show.
        const history = JSON.stringify((await handle.fetchHistory()).events, (_, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v));
        return { runId: handle.workflowId, ...result, history };
      },
      undefined,
      sandboxPolicy,
      { notifications: { targets, webUi: 'http://127.0.0.1:8233' } },
    );
    expect(out.status).toBe('failed');
    const link = `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(out.runId)}`;

    const slack = http.received.filter((r) => r.path === '/slack');
    expect(slack).toHaveLength(1);
    expect(slack[0].body.text).toBe([`Verdict: suite ${name} on cluster default failed`, '2 validators: 1 passed, 1 failed, 0 skipped, 0 other', 'failing: fails', `<${link}|Open the run in Temporal>`].join('\n'));

    // The busy receiver got the same message twice, with one key: the retry after its 503.
    const json = http.received.filter((r) => r.path === '/busy');
    expect(json).toHaveLength(2);
    expect(json[0].headers['idempotency-key']).toBe(json[1].headers['idempotency-key']);
    expect(json[1].body).toMatchObject({ kind: 'verdict.run', runId: out.runId, suite: name, cluster: 'default', status: 'failed', counts: { tests: 2, passed: 1, failed: 1 }, failing: ['fails'], link, idempotencyKey: json[0].headers['idempotency-key'] });

    // The refusal is final (one request) and named in the report; the unknown target too, neither its URL.
    expect(http.received.filter((r) => r.path === '/gone')).toHaveLength(1);
    expect(out.report.results.extra?.problems).toEqual(
      expect.arrayContaining([
        'a notification could not be sent: notify.2 (target gone): the receiver answered HTTP 404',
        expect.stringContaining('notify.3: this worker has no notification target "on-pass-only" (its targets: team-slack, ops-json, gone)'),
      ]),
    );
    expect(out.history).toContain('team-slack');
    expect(out.history).not.toContain(http.url);
  } finally {
    await http.close();
  }
});
