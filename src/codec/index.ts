// The payload codec from the environment, for the CLI, the worker and the codec server. Never
// import this from workflow code: it uses Node crypto and runs outside the workflow sandbox.
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm';
import { keyRingFromEnv } from './keys';

export { AesGcmCodec, CodecKeyError, encryptedEncoding, keyIdMetadata } from './aes-gcm';
export { CodecConfigError, keyEnv, keyRing, keyRingFromEnv, keySources, type KeyRing } from './keys';

/** The codec the environment's keys describe; undefined when none are configured. Throws CodecConfigError on bad keys. */
export function codecFromEnv(env: NodeJS.ProcessEnv = process.env): AesGcmCodec | undefined {
  const ring = keyRingFromEnv(env);
  return ring ? new AesGcmCodec(ring) : undefined;
}

/** The data converter for Client and Worker options: the codec, or Temporal's default without one. */
export const dataConverterWith = (codec?: PayloadCodec): DataConverter | undefined => (codec ? { payloadCodecs: [codec] } : undefined);
