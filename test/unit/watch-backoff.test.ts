// Backoff between watch attempts: grows exponentially, is capped, and is jittered.
import { backoffMs } from '../../src/k8s/backoff';

const b = { baseMs: 100, capMs: 1_000 };

test('nothing failed: no wait', () => {
  expect(backoffMs(0, b)).toBe(0);
});

test('each failure in a row doubles the ceiling, up to the cap', () => {
  const ceilings = [1, 2, 3, 4, 5, 6, 40].map((f) => backoffMs(f, b, () => 1));
  expect(ceilings).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
});

test('jitter keeps each wait between half the ceiling and the ceiling', () => {
  expect(backoffMs(3, b, () => 0)).toBe(200);
  for (let i = 0; i < 100; i++) {
    const ms = backoffMs(3, b);
    expect(ms).toBeGreaterThanOrEqual(200);
    expect(ms).toBeLessThanOrEqual(400);
  }
});
