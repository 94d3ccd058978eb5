// How a finished run reads on a terminal.
import type { CtrfReport } from '../core/ctrf';

export function summaryTable(report: CtrfReport): string {
  const rows = report.results.tests.map((t) => [t.suite?.[0] ?? '', t.name, t.status, t.rawStatus ?? '', (t.message ?? '').split('\n')[0].slice(0, 70)]);
  const header = ['PHASE', 'VALIDATOR', 'STATUS', 'RESULT', 'MESSAGE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const s = report.results.summary;
  const totals = `${s.tests} validators: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.other} other`;
  return [line(header), ...rows.map(line), '', totals].join('\n');
}
