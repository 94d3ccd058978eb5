// Reads Prometheus text: the API server's own request counters, by label. Pure, no I/O.
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Every sample of `metric` in a Prometheus text exposition. */
export function samples(text: string, metric: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const m = /^[^{\s]+(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[1] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ labels, value: Number(m[2]) });
  }
  return out;
}

/** Sums `metric` by the value of `by`, over samples that pass `keep`. */
export function sumBy(text: string, metric: string, by: (l: Record<string, string>) => string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples(text, metric)) {
    const key = by(s.labels);
    if (key !== undefined) out.set(key, (out.get(key) ?? 0) + s.value);
  }
  return out;
}

/** after - before, key by key (a key missing before counts from zero). */
export function delta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    if (d !== 0) out.set(k, d);
  }
  return out;
}

/** p-th percentile (0-100) by nearest rank; undefined for no data. */
export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
