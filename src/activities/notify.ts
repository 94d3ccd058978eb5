// A run's notice, sent to one notification rule's target: the Slack or JSON body, POSTed with an
// Idempotency-Key header (one per run execution and rule), so a receiver that got it before can drop
// a resend. Retried while the receiver is down or busy (5xx, 429, no answer); a refusal (other 4xx)
// is final. A URL is a credential: no error, log or result names it, only the rule or target.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { failureTypes } from '../core/failures';
import { idempotencyKey, notificationBody, type NotifyRule, type NotifyTargets, type RunNotice } from '../core/notify';

export interface NotifySettings {
  targets: NotifyTargets;
  /** The Temporal Web UI, for the run's link. */
  webUi?: string;
}

export interface NotifyInput {
  rule: NotifyRule;
  /** The rule's place in the suite's `notify`: part of the idempotency key. */
  index: number;
  execution?: string;
  notice: RunNotice;
}

const sendTimeoutMs = 10_000;

export const notifyActivities = (settings: NotifySettings = { targets: {} }) => ({
  /** Sends the notice to the rule's target once; the idempotency key is the same on every retry. */
  async notify({ rule, index, execution, notice }: NotifyInput): Promise<{ key: string }> {
    const { url, format, name } = destination(settings, rule, index);
    const key = idempotencyKey(notice.runId, execution, index);
    const link = settings.webUi ? runLink(settings.webUi, Context.current().info.workflowNamespace ?? 'default', notice.runId) : undefined;
    let answer: Response;
    try {
      answer = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(notificationBody(format, notice, key, link)),
        redirect: 'error',
        signal: AbortSignal.timeout(sendTimeoutMs),
      });
    } catch (err) {
      // fetch's errors can quote the URL: only the cause's code or name is kept.
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw ApplicationFailure.retryable(`${name}: the message could not be delivered (${cause})`, failureTypes.notificationFailed);
    }
    await answer.body?.cancel();
    if (answer.ok) return { key };
    const later = answer.status >= 500 || answer.status === 429 || answer.status === 408;
    throw ApplicationFailure.create({ message: `${name}: the receiver answered HTTP ${answer.status}`, type: failureTypes.notificationFailed, nonRetryable: !later });
  },
});

function destination(settings: NotifySettings, rule: NotifyRule, index: number): { url: string; format: 'slack' | 'json'; name: string } {
  if ('url' in rule) return { url: rule.url, format: rule.format, name: `notify.${index} (the suite's URL)` };
  const target = settings.targets[rule.target];
  if (target) return { ...target, name: `notify.${index} (target ${rule.target})` };
  const known = Object.keys(settings.targets);
  throw ApplicationFailure.nonRetryable(
    `notify.${index}: this worker has no notification target "${rule.target}" (${known.length ? `its targets: ${known.join(', ')}` : 'it has none'}): add it to the file --notify-targets-file (VERDICT_NOTIFY_TARGETS_FILE) names, or fix the suite`,
    failureTypes.badInput,
  );
}

export const runLink = (webUi: string, namespace: string, runId: string) => `${webUi.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(runId)}`;
