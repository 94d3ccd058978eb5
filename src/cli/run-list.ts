// The `verdict list` table: bounded columns first, the run ID (any length a client chose) last and
// unpadded, so a long ID never pushes the other columns off the screen.

export interface RunRow {
  runId: string;
  suite: string;
  status: string;
  failed?: number;
  started: Date;
}

const header = ['STARTED', 'STATUS', 'FAILED', 'SUITE', 'RUN'];

export function runListLines(rows: RunRow[]): string[] {
  const cells = rows.map((r) => [r.started.toISOString().replace(/\.\d+Z$/, 'Z'), r.status, r.failed === undefined ? '' : String(r.failed), r.suite, r.runId]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [header, ...cells].map(line);
}
