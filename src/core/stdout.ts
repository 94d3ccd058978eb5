import { utf8Bytes } from './bytes';

// Caps a validator's stdout so a result stays far below Temporal's payload limit: the last lines
// only, each line cut at a length, and the whole cut at a byte budget (keeping the newest lines).
export interface StdoutLimits {
  maxLines: number;
  maxLineChars: number;
  maxBytes: number;
}

export const defaultStdoutLimits: StdoutLimits = { maxLines: 1000, maxLineChars: 512, maxBytes: 64 * 1024 };

export interface CappedStdout {
  lines: string[];
  /** True when anything was left out or shortened. */
  truncated: boolean;
}

/** A line cut at `max` characters, saying how many more it had (`length` when only part of it was read). */
export function cutLine(line: string, max: number, length = line.length): string {
  return length <= max ? line : `${line.slice(0, max)}... [${length - max} more characters]`;
}

/** The newest lines of a stream, fed one line at a time: memory stays within the limits. */
export class StdoutTail {
  private readonly ring: string[] = [];
  private start = 0;
  private bytes = 0;
  private truncated = false;

  constructor(private readonly limits: StdoutLimits = defaultStdoutLimits) {}

  /** Adds a complete line (without its newline); `length` is its full length when it arrives already cut. */
  push(line: string, length = line.length): void {
    const kept = cutLine(line, this.limits.maxLineChars, length);
    if (kept !== line) this.truncated = true;
    this.ring.push(kept);
    this.bytes += utf8Bytes(kept) + 1;
    while (this.size() > this.limits.maxLines || (this.bytes > this.limits.maxBytes && this.size() > 0)) this.drop();
    // Compact now and then so dropped lines do not pile up at the front.
    if (this.start > 1024 && this.start * 2 > this.ring.length) {
      this.ring.splice(0, this.start);
      this.start = 0;
    }
  }

  result(): CappedStdout {
    return { lines: this.ring.slice(this.start), truncated: this.truncated };
  }

  private size(): number {
    return this.ring.length - this.start;
  }

  private drop(): void {
    this.bytes -= utf8Bytes(this.ring[this.start]) + 1;
    this.ring[this.start++] = '';
    this.truncated = true;
  }
}

export function capStdout(text: string, limits: StdoutLimits = defaultStdoutLimits): CappedStdout {
  const tail = new StdoutTail(limits);
  if (text !== '') for (const line of text.replace(/\r?\n$/, '').split(/\r?\n/)) tail.push(line);
  return tail.result();
}
