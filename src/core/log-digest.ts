// A validator's whole log, read as a stream with bounded memory: fed chunk by chunk (any
// boundaries, partial lines, CRLF), it keeps the capped stdout (stdout.ts's policy), the go-test
// sub-tests parsed from every line (so `expectedTests` sees the whole log), and counts.
// Each complete line is redacted before anything of it is kept or cut. A secret split across lines
// is not redacted (out of scope); a line longer than `maxLineChars` is read in part, so a secret
// beyond that point is never kept at all.
import { utf8Bytes } from './bytes';
import { GoTestCollector, defaultGoTestLimits, type GoTestLimits } from './gotest';
import type { SubTest } from './result';
import { StdoutTail, defaultStdoutLimits, type StdoutLimits } from './stdout';

export interface LogDigestOptions {
  stdout?: StdoutLimits;
  goTest?: GoTestLimits;
  /** Tests that must report an outcome (the validator's `expectedTests`). */
  expectedTests?: string[];
  /** Applied to every complete line before anything of it is kept (secrets.ts `redact`). */
  redact?: (line: string, cut: boolean) => string;
  /** Characters of one line read; the rest of a longer line is counted, not kept. */
  maxLineChars?: number;
}

export interface LogDigestResult {
  stdout: string[];
  stdoutTruncated: boolean;
  /** Sub-tests kept (failed first when there are too many), in the order they finished. */
  tests: SubTest[];
  testsOmitted: number;
  /** Expected tests that never reported an outcome anywhere in the log. */
  missingTests: string[];
  /** UTF-8 bytes and lines read. */
  bytes: number;
  lines: number;
}

export const defaultMaxLineChars = 64 * 1024;

export class LogDigest {
  private readonly tail: StdoutTail;
  private readonly tests: GoTestCollector;
  private readonly redact: (line: string, cut: boolean) => string;
  private readonly maxLineChars: number;
  private readonly decoder = new TextDecoder();
  /** The line read so far, at most maxLineChars, and its full length. */
  private partial = '';
  private partialLength = 0;
  private bytes = 0;
  private lines = 0;
  private ended = false;

  constructor(options: LogDigestOptions = {}) {
    this.tail = new StdoutTail(options.stdout ?? defaultStdoutLimits);
    this.tests = new GoTestCollector(options.expectedTests ?? [], options.goTest ?? defaultGoTestLimits);
    this.redact = options.redact ?? ((l) => l);
    this.maxLineChars = options.maxLineChars ?? defaultMaxLineChars;
  }

  /** Feeds the next chunk: text, or bytes (UTF-8, a character may span chunks). */
  write(chunk: string | Uint8Array): void {
    if (this.ended) throw new Error('LogDigest: write after end');
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    this.bytes += typeof chunk === 'string' ? utf8Bytes(chunk) : chunk.length;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      this.append(text.slice(from, nl));
      this.completeLine();
      from = nl + 1;
    }
    if (from < text.length) this.append(text.slice(from));
  }

  /** Ends the log (a last line without a newline counts) and returns what was kept. */
  end(): LogDigestResult {
    if (!this.ended) {
      const rest = this.decoder.decode();
      if (rest) this.append(rest);
      if (this.partialLength > 0) this.completeLine(false);
      this.ended = true;
    }
    const { lines, truncated } = this.tail.result();
    const go = this.tests.summary();
    return { stdout: lines, stdoutTruncated: truncated, tests: go.tests, testsOmitted: go.omitted, missingTests: go.missing, bytes: this.bytes, lines: this.lines };
  }

  private append(piece: string): void {
    const room = this.maxLineChars - this.partial.length;
    if (room > 0) this.partial += piece.length <= room ? piece : piece.slice(0, room);
    this.partialLength += piece.length;
  }

  /** The line read so far is complete; `crlf`: it ended with a newline, so a "\r" before it is dropped. */
  private completeLine(crlf = true): void {
    let line = this.partial;
    let length = this.partialLength;
    if (crlf && length === line.length && line.endsWith('\r')) {
      line = line.slice(0, -1);
      length--;
    }
    const whole = length === line.length;
    const kept = this.redact(line, !whole);
    this.lines++;
    this.tail.push(kept, whole ? kept.length : kept.length + (length - line.length));
    if (whole) this.tests.line(kept);
    this.partial = '';
    this.partialLength = 0;
  }
}

/** The digest of a whole log given at once (tests, and logs already in memory). */
export function digestLog(text: string, options: LogDigestOptions = {}): LogDigestResult {
  const d = new LogDigest(options);
  d.write(text);
  return d.end();
}
