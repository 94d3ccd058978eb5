import fc from 'fast-check';
import { capStdout } from '../../src/core/stdout';

test('keeps the last lines, cuts long lines and marks truncation', () => {
  const text = ['one', 'two', 'three', 'x'.repeat(20)].join('\n') + '\n';
  const out = capStdout(text, { maxLines: 2, maxLineChars: 10, maxBytes: 1000 });
  expect(out.lines).toEqual(['three', 'xxxxxxxxxx... [10 more characters]']);
  expect(out.truncated).toBe(true);
  expect(capStdout('a\nb\n').lines).toEqual(['a', 'b']);
  expect(capStdout('a\nb\n').truncated).toBe(false);
  expect(capStdout('').lines).toEqual([]);
});

test('never exceeds the byte budget', () => {
  const limits = { maxLines: 50, maxLineChars: 40, maxBytes: 300 };
  fc.assert(fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 100 }), { maxLength: 200 }), (lines) => {
    const out = capStdout(lines.join('\n'), limits);
    const bytes = out.lines.reduce((n, l) => n + new TextEncoder().encode(l).length + 1, 0);
    return bytes <= limits.maxBytes && out.lines.length <= limits.maxLines;
  }));
});
