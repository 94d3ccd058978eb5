// What the payload codec costs: encode and decode time per payload and throughput, for payload
// sizes from a progress update to a large run report, and the size each payload grows by.
// No servers needed. Usage: npm run -s build && node dist/bench/codec.js [iterations]
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmCodec, keyRing } from '../src/codec';

const sizes = [256, 4 * 1024, 64 * 1024, 1024 * 1024];

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 200);
  const codec = new AesGcmCodec(keyRing([{ source: 'bench', id: 'bench-key', key: randomBytes(32).toString('base64') }]));
  console.log('payload bytes   encode µs   decode µs   encode MB/s   decode MB/s   overhead bytes');
  for (const size of sizes) {
    const payload = defaultPayloadConverter.toPayload({ stdout: 'x'.repeat(size) });
    const plainBytes = payload.data!.length;
    const n = Math.max(5, Math.round((iterations * 4096) / Math.max(size, 4096)));
    let encoded = await codec.encode([payload]); // warm up
    let t = performance.now();
    for (let i = 0; i < n; i++) encoded = await codec.encode([payload]);
    const encodeMs = (performance.now() - t) / n;
    t = performance.now();
    for (let i = 0; i < n; i++) await codec.decode(encoded);
    const decodeMs = (performance.now() - t) / n;
    const mbps = (ms: number) => (plainBytes / 1e6 / (ms / 1000)).toFixed(0);
    console.log(
      [plainBytes, (encodeMs * 1000).toFixed(1), (decodeMs * 1000).toFixed(1), mbps(encodeMs), mbps(decodeMs), encoded[0].data!.length - plainBytes]
        .map((c, i) => String(c).padStart(i === 0 ? 13 : 12))
        .join(' '),
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
