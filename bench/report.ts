// The results table: each figure for Verdict and the baseline, their ratio, and the target. Pure.
import { percentile } from './prometheus';
import { overheadSeconds, type SideResult } from './results';

export interface Experiment {
  name: string;
  size: number;
  verdict: SideResult;
  baseline?: SideResult;
}

const num = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits));
const ratio = (v: number | undefined, b: number | undefined) => (v === undefined || b === undefined || b === 0 ? '-' : `${(v / b).toFixed(2)}x`);
const mib = (b: number | undefined) => (b === undefined ? '-' : `${(b / 2 ** 20).toFixed(0)} MiB`);
const verbs = (r: Record<string, number>, per: number) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${(v / per).toFixed(2)}`)
    .join(', ');

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** One line per experiment and figure. */
export function table(experiments: Experiment[]): string {
  const lines = [row(['experiment', 'validators', 'figure', 'Verdict', 'baseline', 'Verdict/baseline', 'target']), row(Array<string>(7).fill('---'))];
  for (const e of experiments) {
    const { verdict: v, baseline: b } = e;
    const add = (figure: string, vf: string, bf: string, r: string, target: string) => lines.push(row([e.name, String(v.validators), figure, vf, bf, r, target]));
    const reqs = (r?: SideResult) => (r ? r.requests / r.validators : undefined);
    add('API requests / validator (server, by identity)', num(reqs(v), 2), num(reqs(b), 2), ratio(reqs(v), reqs(b)), 'Verdict <= 4, flat');
    add('  by verb (client-side count)', verbs(v.byVerb, v.validators), b ? verbs(b.byVerb, b.validators) : '-', '', '');
    const p = (r: SideResult | undefined, q: number) => (r ? percentile(r.latencies, q) : undefined);
    const x = (r: SideResult | undefined, q: number) => (r ? percentile(r.exitLatencies, q) : undefined);
    add('detection latency from container exit p50 / p99 (ms)', `${num(x(v, 50), 0)} / ${num(x(v, 99), 0)}`, `${num(x(b, 50), 0)} / ${num(x(b, 99), 0)}`, ratio(x(v, 50), x(b, 50)), '');
    add('detection latency p50 / p99 (ms)', `${num(p(v, 50), 0)} / ${num(p(v, 99), 0)}`, `${num(p(b, 50), 0)} / ${num(p(b, 99), 0)}`, ratio(p(v, 50), p(b, 50)), 'p50 <= 200 ms');
    add(`overhead / validator slot (s), concurrency ${v.concurrency}`, num(overheadSeconds(v), 2), b ? `${num(overheadSeconds(b), 2)} (conc. ${b.concurrency})` : '-', ratio(overheadSeconds(v), b && overheadSeconds(b)), v.concurrency === 1 ? '<= 0.3 s' : '');
    add('wall time (s)', num(v.wallMs / 1000), num(b && b.wallMs / 1000), ratio(v.wallMs, b?.wallMs), v.concurrency === 1 ? '<= 0.8x baseline' : '');
    add('correct statuses', `${v.correct}/${v.validators}`, b ? `${b.correct}/${b.validators}` : '-', '', 'all');
    add('peak open watches', String(v.peakWatches), b ? `${b.peakWatches} (server gauge)` : '-', '', 'flat in validators');
    add('worker peak RSS', mib(v.peakRssBytes), '-', '', e.name.startsWith('scale') ? '<= 400 MiB' : '');
    add('history events / validator; largest payload', `${num(v.historyEventsPerValidator)}; ${num((v.largestPayloadBytes ?? 0) / 1024)} KiB`, '-', '', '< 51,200 events; < 2 MiB');
  }
  return lines.join('\n');
}

/** Cluster-wide request deltas, for context: they include controllers, kwok and anyone else. */
export function clusterTable(experiments: Experiment[]): string {
  const lines = [row(['experiment', 'side', 'cluster-wide requests / validator by verb']), row(['---', '---', '---'])];
  for (const e of experiments) for (const r of [e.verdict, e.baseline]) if (r) lines.push(row([e.name, r.side, verbs(r.clusterByVerb, r.validators)]));
  return lines.join('\n');
}
