// Notifications: a suite names where a message about each run goes and when (on failure, on a
// change from the previous run, or always), as Slack incoming-webhook or generic JSON bodies.
// Webhook URLs are credentials: a suite names a target the worker's configuration holds (mounted
// from a Kubernetes Secret), or gives a URL that, like a secret env value, only arrives through the
// payload codec. Pure: the run workflow decides with it and the notify activity builds the bodies.
import { z } from 'zod';
import type { Change } from './diff';
import type { RunInsights } from './insights';
import type { Status } from './result';

export const notifyWhen = ['failure', 'change', 'always'] as const;
export const notifyFormats = ['slack', 'json'] as const;
export type NotifyFormat = (typeof notifyFormats)[number];

/** Notification rules per suite: each is an activity at the run's end. */
export const maxNotifyRules = 10;

const when = z.enum(notifyWhen, { error: `must be one of ${notifyWhen.join(', ')}` }).default('failure');
const targetName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be the name of a target in the worker\'s notification targets (lowercase letters, digits and "-")').max(63);
const webhookUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' });

/** A rule: a target of the worker's, or a URL of the suite's own (secret: it needs the payload codec). */
export type NotifyRule = { target: string; when: (typeof notifyWhen)[number] } | { url: string; format: NotifyFormat; when: (typeof notifyWhen)[number] };

export const notifyRuleSchema = z
  .strictObject({ target: targetName.optional(), url: webhookUrl.optional(), format: z.enum(notifyFormats).optional(), when })
  .superRefine((r, ctx) => {
    if ((r.target === undefined) === (r.url === undefined)) ctx.addIssue({ code: 'custom', message: "give one of target (a name in the worker's notification targets) or url" });
    if (r.target !== undefined && r.format !== undefined) ctx.addIssue({ code: 'custom', path: ['format'], message: "a target's format is set by the worker's targets: drop format here" });
  })
  .transform((r): NotifyRule => (r.target !== undefined ? { target: r.target, when: r.when } : { url: r.url!, format: r.format ?? 'json', when: r.when }));

/** A target in the worker's configuration: where its messages go and in which body. */
export const notifyTargetSchema = z.strictObject({ url: webhookUrl, format: z.enum(notifyFormats).default('json') });
export const notifyTargetsSchema = z.record(targetName, notifyTargetSchema);
export type NotifyTargets = z.output<typeof notifyTargetsSchema>;

/** What a message says about a run: the counts, what changed, and the run's link when the worker knows the Web UI. */
export interface RunNotice {
  runId: string;
  suite: string;
  cluster: string;
  status: 'passed' | 'failed' | 'cancelled';
  counts: { tests: number; passed: number; failed: number; skipped: number; other: number };
  /** Validators failing or ended other now, by name (at most `listed`). */
  failing: string[];
  /** Since the previous run of the suite on the cluster; absent for a first run. */
  changes?: Partial<Record<'newly failing' | 'fixed' | 'status changed', string[]>>;
  /** The previous run, which `changes` compares with. */
  previousRunId?: string;
  /** Why the run failed before any validator could report (setup, permissions...). */
  error?: string;
}

/** Names listed per line of a message: enough to act on, short enough to read. */
export const listed = 20;
const noticed: Change[] = ['newly failing', 'fixed', 'status changed'];

export function runNotice(run: Pick<RunNotice, 'runId' | 'suite' | 'cluster' | 'status'>, results: { name: string; status: Status }[], insights?: RunInsights): RunNotice {
  const count = (s: Status) => results.filter((r) => r.status === s).length;
  const counts = { tests: results.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), other: count('other') };
  const failing = results.filter((r) => r.status === 'failed' || r.status === 'other').map((r) => r.name);
  const notice: RunNotice = { ...run, counts, failing: failing.slice(0, listed) };
  if (!insights) return notice;
  const changes: NonNullable<RunNotice['changes']> = {};
  for (const c of noticed) {
    const names = Object.entries(insights.tests).filter(([, t]) => t.extra.change === c).map(([name]) => name);
    if (names.length) changes[c as keyof typeof changes] = names.slice(0, listed);
  }
  return { ...notice, changes, previousRunId: insights.baseline.extra.runId };
}

/** A run that failed before its validators could report: the message says why. */
export const failedRunNotice = (run: Pick<RunNotice, 'runId' | 'suite' | 'cluster'>, error: string): RunNotice => ({
  ...run,
  status: 'failed',
  counts: { tests: 0, passed: 0, failed: 0, skipped: 0, other: 0 },
  failing: [],
  error: error.length > 1000 ? `${error.slice(0, 1000)}...` : error,
});

/** Whether a rule wants this run: `failure` a failed run, `change` a first run or one whose validators changed, `always` any. */
export function wants(rule: Pick<NotifyRule, 'when'>, notice: RunNotice): boolean {
  if (rule.when === 'always') return true;
  if (rule.when === 'failure') return notice.status === 'failed';
  return notice.status !== 'cancelled' && (notice.changes === undefined || Object.keys(notice.changes).length > 0);
}

/** The key a receiver dedupes by: one per run execution and rule, whatever the retries. */
export const idempotencyKey = (runId: string, execution: string | undefined, rule: number) => `verdict:${runId}:${execution ?? ''}:${rule}`;

const totals = ({ counts: c }: RunNotice) => `${c.tests} validators: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped, ${c.other} other`;

/** The message as lines of plain text: the Slack body's text, and the JSON body's `text`. */
export function noticeLines(n: RunNotice, link?: string): string[] {
  const lines = [`Verdict: suite ${n.suite} on cluster ${n.cluster} ${n.status}`, n.error ? `the run failed before its validators reported: ${n.error}` : totals(n)];
  for (const [change, names] of Object.entries(n.changes ?? {})) lines.push(`${change}: ${names.join(', ')}`);
  if (n.changes && Object.keys(n.changes).length === 0) lines.push(`nothing changed since run ${n.previousRunId}`);
  if (!n.changes && n.failing.length) lines.push(`failing: ${n.failing.join(', ')}`);
  if (link) lines.push(link);
  return lines;
}

// Slack's mrkdwn treats these three as control characters.
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The request body for the target's format. */
export function notificationBody(format: NotifyFormat, n: RunNotice, key: string, link?: string): unknown {
  if (format === 'slack') {
    const lines = noticeLines(n).map(slackEscape);
    return { text: [...lines, ...(link ? [`<${link}|Open the run in Temporal>`] : [])].join('\n') };
  }
  return { kind: 'verdict.run', idempotencyKey: key, ...n, ...(link ? { link } : {}), text: noticeLines(n, link).join('\n') };
}
