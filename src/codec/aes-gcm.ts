// An AES-256-GCM payload codec: every payload is encrypted whole (metadata and data) under the
// primary key with a fresh 12-byte IV, and names its key ID so any key of the ring decrypts it.
// It uses Node crypto: it runs in clients and in the worker's data converter, never in workflow code.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { keySources, type KeyRing } from './keys';

export const encryptedEncoding = 'binary/encrypted';
export const keyIdMetadata = 'encryption-key-id';

const ivBytes = 12;
const tagBytes = 16;
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class CodecKeyError extends Error {}

export class AesGcmCodec implements PayloadCodec {
  constructor(readonly ring: KeyRing) {}

  // Errors surface as rejections, never synchronous throws: callers await these.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((p) => this.encrypt(p)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((p) => (text(p.metadata?.encoding) === encryptedEncoding ? this.decrypt(p) : p)));
  }

  private encrypt(payload: Payload): Payload {
    const id = this.ring.primary;
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.ring.keys.get(id)!, iv);
    // The key ID is authenticated too: relabelling a payload with another key ID fails to decrypt.
    cipher.setAAD(Buffer.from(id));
    const body = Buffer.concat([cipher.update(temporal.api.common.v1.Payload.encode(payload).finish()), cipher.final()]);
    return {
      metadata: { encoding: Buffer.from(encryptedEncoding), [keyIdMetadata]: Buffer.from(id) },
      data: Buffer.concat([iv, body, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const id = text(payload.metadata?.[keyIdMetadata]);
    if (!id) throw new CodecKeyError(`an encrypted payload carries no "${keyIdMetadata}" metadata: it was not written by this codec`);
    const key = this.ring.keys.get(id);
    if (!key) throw new CodecKeyError(`a payload is encrypted under key ID "${id}", which is not configured (have: ${[...this.ring.keys.keys()].join(', ')}). Add it: ${keySources}`);
    const data = Buffer.from(payload.data ?? []);
    if (data.length < ivBytes + tagBytes) throw new CodecKeyError(`an encrypted payload under key ID "${id}" is too short to be one: it was truncated`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, ivBytes));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(data.subarray(data.length - tagBytes));
    try {
      const plain = Buffer.concat([decipher.update(data.subarray(ivBytes, data.length - tagBytes)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch {
      throw new CodecKeyError(`a payload under key ID "${id}" failed authentication: it was altered, or key "${id}" is not the key that encrypted it`);
    }
  }
}
