import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256Hex } from '../../src/core/sha256';

const node = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

test('matches node:crypto at the padding boundaries and on non-ASCII text', () => {
  for (const s of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'é漢字🙂'.repeat(40)]) expect(sha256Hex(s)).toBe(node(s));
});

test('matches node:crypto on random strings', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => sha256Hex(s) === node(s)));
});
