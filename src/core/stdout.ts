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

export function capStdout(text: string, limits: StdoutLimits = defaultStdoutLimits): CappedStdout {
  const all = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  let truncated = all.length > limits.maxLines;
  const lines = all.slice(-limits.maxLines).map((line) => {
    if (line.length <= limits.maxLineChars) return line;
    truncated = true;
    return `${line.slice(0, limits.maxLineChars)}... [${line.length - limits.maxLineChars} more characters]`;
  });
  let bytes = lines.reduce((n, l) => n + utf8Bytes(l) + 1, 0);
  while (bytes > limits.maxBytes && lines.length > 0) {
    bytes -= utf8Bytes(lines.shift()!) + 1;
    truncated = true;
  }
  return { lines, truncated };
}
