import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInsights } from '../../src/core/insights';
import { failedRunNotice, idempotencyKey, notificationBody, noticeLines, runNotice, wants, type RunNotice } from '../../src/core/notify';
import { secretPaths, secretPathsInRawInput } from '../../src/core/secrets';
import { suiteSchema } from '../../src/core/spec';
import { notificationsFromEnv } from '../../worker/notifications';
import { loadWorkerConfig } from '../../worker/config';

const run = { runId: 'nightly-20261204T020000Z-ab12', suite: 'nightly', cluster: 'prod' };
const earlier = { runId: 'nightly-20261203T020000Z-cd34', reportId: '00000000-0000-4000-8000-000000000001', start: 0, stop: 1000, status: 'failed', validators: [{ name: 'gpu', status: 'passed' as const, durationMs: 10, exitCode: 0 }, { name: 'rdma', status: 'failed' as const, durationMs: 10, exitCode: 1 }] };
const now = [{ name: 'gpu', status: 'failed' as const, durationMs: 10, exitCode: 1 }, { name: 'rdma', status: 'passed' as const, durationMs: 10, exitCode: 0 }];

test('which rules want a run: failure a failed one, change a first or changed one, always any', () => {
  const first = runNotice({ ...run, status: 'passed' }, now);
  const same = runNotice({ ...run, status: 'passed' }, earlier.validators, runInsights({ start: 2000, stop: 3000, validators: earlier.validators }, [earlier]));
  const changed = runNotice({ ...run, status: 'failed' }, now, runInsights({ start: 2000, stop: 3000, validators: now }, [earlier]));
  const cancelled = { ...first, status: 'cancelled' as const };
  const table: [RunNotice, string[]][] = [
    [first, ['change', 'always']],
    [same, ['always']],
    [changed, ['failure', 'change', 'always']],
    [cancelled, ['always']],
    [failedRunNotice(run, 'forbidden'), ['failure', 'change', 'always']],
  ];
  for (const [notice, want] of table) expect((['failure', 'change', 'always'] as const).filter((when) => wants({ when }, notice))).toEqual(want);
  expect(changed.changes).toEqual({ 'newly failing': ['gpu'], fixed: ['rdma'] });
  expect(changed.previousRunId).toBe(earlier.runId);
});

test('the message: counts, changes, the link; Slack control characters escaped; one key per run and rule', () => {
  const changed = runNotice({ ...run, status: 'failed' }, now, runInsights({ start: 2000, stop: 3000, validators: now }, [earlier]));
  expect(noticeLines(changed, 'http://ui/x')).toEqual(['Verdict: suite nightly on cluster prod failed', '2 validators: 1 passed, 1 failed, 0 skipped, 0 other', 'newly failing: gpu', 'fixed: rdma', 'http://ui/x']);
  const odd = runNotice({ ...run, status: 'failed' }, [{ name: 'a', status: 'failed' }]);
  const slack = notificationBody('slack', { ...odd, error: '<b> & </b>' }, 'k', 'http://ui/x') as { text: string };
  expect(slack.text).toContain('the run failed before its validators reported: &lt;b&gt; &amp; &lt;/b&gt;');
  expect(slack.text.endsWith('<http://ui/x|Open the run in Temporal>')).toBe(true);
  expect(notificationBody('json', odd, 'k')).toMatchObject({ kind: 'verdict.run', idempotencyKey: 'k', status: 'failed', failing: ['a'] });
  expect(idempotencyKey('r', 'e', 0)).not.toBe(idempotencyKey('r', 'e', 1));
  expect(idempotencyKey('r', 'e', 0)).not.toBe(idempotencyKey('r', 'f', 0));
});

test('a webhook URL in a suite is a secret: listed for the client check and the payload guard, targets are not', () => {
  const suite = suiteSchema.parse({ name: 's', validators: [{ name: 'v', phase: 'readiness', image: 'example.com/v:1' }], notify: [{ target: 'team' }, { url: 'https://hooks.slack.com/services/T/B/x', format: 'slack', when: 'always' }] });
  expect(secretPaths(suite)).toEqual(['notify.1.url (a webhook URL is always secret)']);
  expect(secretPathsInRawInput({ suite: { notify: [{ target: 'team' }, { url: 'x' }] } })).toEqual(['suite.notify.1.url (a webhook URL is always secret)']);
  const bad = suiteSchema.safeParse({ name: 's', validators: [{ name: 'v', phase: 'readiness', image: 'example.com/v:1' }], notify: [{ url: 'ftp://x' }, { target: 'Team' }, { target: 'a', when: 'sometimes' }, { when: 'always' }, { target: 'a', format: 'slack' }] });
  expect(bad.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
    'notify.0.url: must be an http or https URL',
    'notify.1.target: must be the name of a target in the worker\'s notification targets (lowercase letters, digits and "-")',
    'notify.2.when: must be one of failure, change, always',
    "notify.3: give one of target (a name in the worker's notification targets) or url",
    "notify.4.format: a target's format is set by the worker's targets: drop format here",
  ]);
});

test("the worker's targets file is checked at start, its problems named by setting, its URLs never shown", () => {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-notify-'));
  const good = join(dir, 'targets.yaml');
  writeFileSync(good, 'team-slack:\n  url: https://hooks.slack.com/services/T/B/secret\n  format: slack\nops: {url: "https://ops.example.com/hook"}\n');
  expect(notificationsFromEnv({ VERDICT_NOTIFY_TARGETS_FILE: good }, 'http://127.0.0.1:8233')).toEqual({
    targets: { 'team-slack': { url: 'https://hooks.slack.com/services/T/B/secret', format: 'slack' }, ops: { url: 'https://ops.example.com/hook', format: 'json' } },
    webUi: 'http://127.0.0.1:8233',
  });
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'team-slack:\n  url: not a url https://hooks.slack.com/services/T/B/secret\n');
  const kube = { homeConfig: true, inCluster: false };
  expect(() => loadWorkerConfig({ notifyTargetsFile: bad, webUiUrl: 'ui' }, {}, kube)).toThrow(/notifyTargetsFile \(--notify-targets-file, VERDICT_NOTIFY_TARGETS_FILE\) = ".*bad.yaml": is not a map of target names to \{url, format\}: team-slack.url: must be an http or https URL[\s\S]*webUiUrl \(--web-ui-url, VERDICT_WEB_UI_URL\) = "ui": must be an http or https URL/);
  expect(() => loadWorkerConfig({ notifyTargetsFile: bad }, {}, kube)).not.toThrow(/secret/);
  expect(() => loadWorkerConfig({ notifyTargetsFile: join(dir, 'missing.yaml') }, {}, kube)).toThrow(/no such file/);
});
