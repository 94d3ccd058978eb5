// How the HTML report writes statuses, changes, times, durations and counts. Pure.
import type { CtrfTest } from './ctrf';
import type { Change } from './diff';
import { formatDuration } from './duration';
import { statusSymbols } from './history-grid';
import { html } from './html';
import type { Status } from './result';

export const statuses: Status[] = ['passed', 'failed', 'skipped', 'other'];
export const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
export const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
export const took = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : formatDuration(Math.round(ms / 1000)));
export const percent = (rate: number) => `${Math.round(rate * 100)}%`;
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
export const phaseOf = (t: CtrfTest) => t.suite?.[0] ?? 'validators';
export const badge = (s: Status) => html`<span class="badge ${s}">${statusSymbols[s]} ${s}</span>`;
export const changeMark = (c: Change) => html`<span class="change ${c.replaceAll(' ', '-')}">${c}</span>`;
/** How many of each status, those present only: "2 passed, 1 failed". */
export const statusCounts = (items: { status: Status }[]) =>
  statuses
    .map((s) => [s, items.filter((i) => i.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
