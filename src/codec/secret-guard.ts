// The worker's last payload codec, so the first to decode: it sees payloads as Temporal stored
// them. A run input stored in clear (`json/plain`: started from the Web UI or `temporal workflow
// start` without the codec) whose suite marks env values secret is replaced, for the workflow, by
// the values' field paths alone: the workflow refuses the run (SecretInClear) and no value reaches
// workflow code, activities or the cluster. Encrypted payloads pass untouched to the AES-GCM codec.
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { secretPathsInRawInput, secretsInClearInput } from '../core/secrets';

const plainJson = 'json/plain';
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class SecretInClearGuard implements PayloadCodec {
  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(payloads);
  }

  decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    // Activity payloads are the workflow's own arguments, never a run input.
    if (context?.type === 'activity') return Promise.resolve(payloads);
    return Promise.resolve(payloads.map(guard));
  }
}

function guard(payload: Payload): Payload {
  if (text(payload.metadata?.encoding) !== plainJson || !mayMarkSecrets(payload.data)) return payload;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload.data!).toString('utf8'));
  } catch {
    return payload; // not JSON: the payload converter reports it
  }
  const paths = secretPathsInRawInput(value);
  if (paths.length === 0) return payload;
  return { metadata: { encoding: Buffer.from(plainJson) }, data: Buffer.from(JSON.stringify(secretsInClearInput(paths))) };
}

/** Cheap pre-check before parsing: the words that mark secrets (`secret`, a `notify` URL), or a JSON escape that could spell them. */
function mayMarkSecrets(data: Uint8Array | null | undefined): boolean {
  const bytes = Buffer.from(data ?? []);
  return bytes.includes('secret') || bytes.includes('notify') || bytes.includes('\\u');
}
