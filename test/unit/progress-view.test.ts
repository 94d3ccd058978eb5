import type { RunProgress } from '../../src/client';
import { lineView, liveView, renderProgress } from '../../src/cli/progress-view';

const progress = (states: RunProgress['validators'][number]['state'][]): RunProgress => ({
  status: 'running',
  validators: states.map((state, i) => ({ name: `v${i}`, phase: 'deployment', state, ...(state === 'other' ? { reason: 'ImagePullBackOff' } : {}) })),
});

test('the compact view counts states and lists every validator that started', () => {
  const lines = renderProgress(progress(['passed', 'running', 'pending', 'other']), 12_400);
  expect(lines[0]).toBe('running 12s: 1 running, 1 passed, 1 other, 1 pending');
  expect(lines.slice(1)).toEqual([
    expect.stringMatching(/✓ deployment +v0 +passed$/),
    expect.stringMatching(/… deployment +v1 +running$/),
    expect.stringMatching(/! deployment +v3 +other \(ImagePullBackOff\)$/),
  ]);
});

test('plain lines say only what changed', () => {
  const out: string[] = [];
  const view = lineView((l) => out.push(l));
  view.show(progress(['running', 'pending']));
  view.show(progress(['running', 'pending']));
  view.show(progress(['passed', 'running']));
  expect(out.map((l) => l.trim().replace(/\s+/g, ' '))).toEqual(['deployment v0 running', 'deployment v0 passed', 'deployment v1 running']);
});

test('the live view redraws over what it drew, within the terminal height', () => {
  let written = '';
  const out = { rows: 6, columns: 80, write: (s: string) => (written += s) } as unknown as NodeJS.WriteStream;
  const view = liveView(out, () => 0);
  view.show(progress(['running', 'running']));
  expect(written).toBe(`\x1b[0J${renderProgress(progress(['running', 'running']), 0).join('\n')}\n`);
  written = '';
  view.show(progress(Array<'passed'>(10).fill('passed')));
  const lines = written.split('\n').filter(Boolean);
  expect(lines[0].startsWith('\x1b[3A\x1b[0J')).toBe(true); // up over the 3 lines drawn before
  expect(lines).toHaveLength(4); // rows - 2
  expect(lines[3]).toBe('  ... and 8 more');
});
