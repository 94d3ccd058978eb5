import fc from 'fast-check';
import { formatDuration, parseDuration } from '../../src/core/duration';

test('parses the forms people write', () => {
  expect(parseDuration('90s')).toBe(90);
  expect(parseDuration('5m')).toBe(300);
  expect(parseDuration('1h30m')).toBe(5400);
  expect(parseDuration('1h2m3s')).toBe(3723);
});

test.each(['', '5', 'm', '5x', '-5m', '1.5m', '0s', '5m1h', ' '])('rejects %j', (text) => {
  expect(parseDuration(text)).toBeUndefined();
});

test('format and parse round-trip for every positive duration', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), (seconds) => parseDuration(formatDuration(seconds)) === seconds));
});

test('never throws, whatever the text', () => {
  fc.assert(fc.property(fc.string(), (text) => {
    const n = parseDuration(text);
    return n === undefined || (Number.isSafeInteger(n) && n > 0);
  }));
});
