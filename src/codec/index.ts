// The payload codec from the environment, for the CLI, the worker and the codec server. Never
// import this from workflow code: it uses Node crypto and runs outside the workflow sandbox.
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm';
import { keyRingFromEnv } from './keys';
import { SecretInClearGuard } from './secret-guard';

export { AesGcmCodec, CodecKeyError, encryptedEncoding, keyIdMetadata } from './aes-gcm';
export { SecretInClearGuard } from './secret-guard';
export { CodecConfigError, keyEnv, keyRing, keyRingFromEnv, keySources, type KeyRing } from './keys';

/** The codec the environment's keys describe; undefined when none are configured. Throws CodecConfigError on bad keys. */
export function codecFromEnv(env: NodeJS.ProcessEnv = process.env): AesGcmCodec | undefined {
  const ring = keyRingFromEnv(env);
  return ring ? new AesGcmCodec(ring) : undefined;
}

/** The failure converter that hands failure messages and stack traces to the codec (failure-converter.ts). */
export const encodedFailuresPath = require.resolve('./failure-converter');

/** The data converter for clients: with a codec, payloads and failure messages encrypted; Temporal's default without one. */
export const dataConverterWith = (codec?: PayloadCodec): DataConverter | undefined => (codec ? { payloadCodecs: [codec], failureConverterPath: encodedFailuresPath } : undefined);

/**
 * The worker's data converter: the client's, plus the guard that refuses secret values stored in
 * clear. Codecs decode last to first, so the guard, last, sees each payload as Temporal stored it.
 */
export function workerDataConverter(codec?: PayloadCodec): DataConverter {
  const guard = new SecretInClearGuard();
  return codec ? { payloadCodecs: [codec, guard], failureConverterPath: encodedFailuresPath } : { payloadCodecs: [guard] };
}
