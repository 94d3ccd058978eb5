// Runs whose suite holds a secret (an env value marked secret, a webhook URL) start only through a client that encrypts payloads.
import type { Client } from '@temporalio/client';
import { secretPaths } from '../core/secrets';
import type { Suite } from '../core/spec';
import { InvalidRunInput } from './errors';

/** A secret would sit in history in clear unless the client encrypts payloads. */
export function assertSecretsProtected(client: Client, suite: Suite): void {
  const secrets = secretPaths(suite);
  if (secrets.length === 0 || client.options.loadedDataConverter.payloadCodecs.length > 0) return;
  throw new InvalidRunInput(
    `${secrets.join(', ')}: marked secret, but this client has no payload codec, so the value would be stored in Temporal history in clear. ` +
      'Configure codec keys (VERDICT_CODEC_KEYS or VERDICT_CODEC_KEY_FILE, see README "Secrets"), or reference a Kubernetes Secret with secretKeyRef (a notification target of the worker\'s instead of a URL).',
  );
}
