// How long to wait before the next attempt after `failures` failures in a row: exponential,
// capped, with jitter so that many watches failing together do not retry together.
export interface Backoff {
  baseMs: number;
  capMs: number;
}

export const defaultBackoff: Backoff = { baseMs: 250, capMs: 30_000 };

/** A delay in [ceiling/2, ceiling], ceiling = min(cap, base * 2^(failures-1)); 0 when nothing failed. */
export function backoffMs(failures: number, b: Backoff = defaultBackoff, random: () => number = Math.random): number {
  if (failures <= 0) return 0;
  const ceiling = Math.min(b.capMs, b.baseMs * 2 ** Math.min(failures - 1, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}
