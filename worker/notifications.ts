// Where the worker sends the notifications suites ask for (src/core/notify.ts): the targets file,
// mounted from a Kubernetes Secret (webhook URLs are credentials, and the worker reads no Secret
// through the API), and the Web UI whose link each message carries. One definition per setting:
// flags, variables, help and defaults come from here, for `verdict worker` and `verdict run` alike.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '../src/core/spec';
import { notifyTargetsSchema } from '../src/core/notify';
import type { NotifySettings } from '../src/activities/notify';
import { parseSettings, rawSettings, type SettingDefinition } from '../temporal-config/settings';

export const notificationSettingDefinitions = {
  notifyTargetsFile: {
    flag: '--notify-targets-file',
    env: 'VERDICT_NOTIFY_TARGETS_FILE',
    arg: '<file>',
    help: 'YAML or JSON naming notification targets suites may use, e.g. {team-slack: {url: https://hooks.slack.com/..., format: slack}}',
    defaultText: 'none',
  },
  webUiUrl: { flag: '--web-ui-url', env: 'VERDICT_WEB_UI_URL', arg: '<url>', help: "the Temporal Web UI's address, for the run link in notifications", defaultText: 'no link' },
} satisfies Record<string, SettingDefinition>;

/** The targets file, read and checked at start-up: its problems are the setting's (URLs never shown). */
const targetsFile = z.string().transform((path, ctx) => {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot be read as YAML or JSON (${(err as Error).name})` });
    return z.NEVER;
  }
  const targets = notifyTargetsSchema.safeParse(raw ?? {});
  if (targets.success) return targets.data;
  ctx.addIssue({ code: 'custom', message: `is not a map of target names to {url, format}: ${describeIssues(targets.error).replace(/\n/g, '; ')}` });
  return z.NEVER;
});

export const notificationShape = {
  notifyTargetsFile: targetsFile.optional(),
  webUiUrl: z.url({ protocol: /^https?$/, error: 'must be an http or https URL, e.g. http://127.0.0.1:8233' }).optional(),
};

/** The settings as the notify activity takes them. */
export const notificationsOf = (c: { notifyTargetsFile?: NotifySettings['targets']; webUiUrl?: string }): NotifySettings => ({ targets: c.notifyTargetsFile ?? {}, ...(c.webUiUrl ? { webUi: c.webUiUrl } : {}) });

/** For `verdict run`'s own worker: the same settings from the environment, the Web UI defaulting to `webUi`. */
export function notificationsFromEnv(env: NodeJS.ProcessEnv, webUi?: string): NotifySettings {
  const raw = rawSettings(notificationSettingDefinitions, {}, env);
  const settings = notificationsOf(parseSettings('notification settings', notificationSettingDefinitions, z.strictObject(notificationShape), raw));
  return settings.webUi || !webUi ? settings : { ...settings, webUi };
}
