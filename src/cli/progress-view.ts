// How `verdict run` shows a run while it goes: on a terminal, a compact view redrawn in place;
// elsewhere (CI logs, pipes), one plain line per validator each time its state changes.
import type { RunProgress } from '../client';
import { stateWithAttempt } from './summary';

export interface ProgressView {
  show(p: RunProgress): void;
  /** Leaves the last view on screen and the cursor below it. */
  close(): void;
}

type Validator = RunProgress['validators'][number];

const stateOf = (v: Validator) => `${stateWithAttempt(v)}${v.reason ? ` (${v.reason})` : ''}`;

const marks: Record<Validator['state'], string> = { pending: '·', running: '…', passed: '✓', failed: '✗', skipped: '-', other: '!' };

/** The compact view: a count line, then a line per validator that has started. */
export function renderProgress(p: RunProgress, elapsedMs: number): string[] {
  const counts = new Map<string, number>();
  for (const v of p.validators) counts.set(v.state, (counts.get(v.state) ?? 0) + 1);
  const parts = (['running', 'passed', 'failed', 'skipped', 'other', 'pending'] as const).filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`);
  const header = `${p.status} ${Math.round(elapsedMs / 1000)}s: ${parts.join(', ')}`;
  const rows = p.validators.filter((v) => v.state !== 'pending').map((v) => `  ${marks[v.state]} ${v.phase.padEnd(12)} ${v.name.padEnd(24)} ${stateOf(v)}`);
  return [header, ...rows];
}

/** Plain lines: what changed since the last call, nothing else. */
export function lineView(write: (line: string) => void): ProgressView {
  const seen = new Map<string, string>();
  return {
    show(p) {
      for (const v of p.validators) {
        if (v.state === 'pending' || seen.get(v.name) === stateOf(v)) continue;
        seen.set(v.name, stateOf(v));
        write(`  ${v.phase.padEnd(12)} ${v.name.padEnd(24)} ${stateOf(v)}`);
      }
    },
    close() {},
  };
}

/** The compact view, redrawn over itself with ANSI cursor moves, cut to the terminal's height. */
export function liveView(out: NodeJS.WriteStream, now = Date.now): ProgressView {
  const started = now();
  let drawn = 0;
  return {
    show(p) {
      const lines = renderProgress(p, now() - started);
      const room = Math.max(3, (out.rows || 24) - 2);
      const shown = lines.length > room ? [...lines.slice(0, room - 1), `  ... and ${lines.length - room + 1} more`] : lines;
      const width = out.columns || 120;
      out.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}\x1b[0J${shown.map((l) => l.slice(0, width - 1)).join('\n')}\n`);
      drawn = shown.length;
    },
    close() {
      drawn = 0;
    },
  };
}
