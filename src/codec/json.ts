// Payloads in the JSON form the Temporal Web UI and CLI send to a remote codec: proto3 JSON,
// `{ "payloads": [{ "metadata": { "encoding": "<base64>" }, "data": "<base64>" }] }`.
import type { Payload } from '@temporalio/common';
import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const payloadJson = z.object({ metadata: z.record(z.string(), base64).default({}), data: base64.default('') });
export const payloadsJson = z.object({ payloads: z.array(payloadJson) });
export type PayloadsJson = z.input<typeof payloadsJson>;

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const b64 = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('base64');

export function fromJson(body: z.output<typeof payloadsJson>): Payload[] {
  return body.payloads.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, bytes(v)])), data: bytes(p.data) }));
}

export function toJson(payloads: Payload[]): PayloadsJson {
  return { payloads: payloads.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])), data: b64(p.data) })) };
}
