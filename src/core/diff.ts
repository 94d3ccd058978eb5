// What changed between two runs of a suite, validator by validator: what newly fails, what was
// fixed, what still fails, what got slower, what was added or removed. Pure, on CTRF reports.
import type { CtrfReport, CtrfTest } from './ctrf';
import type { Status } from './result';

/** A change, in the order `verdict diff` lists them: what needs attention first. */
export const changes = ['newly failing', 'still failing', 'fixed', 'slower', 'status changed', 'added', 'removed'] as const;
export type Change = (typeof changes)[number] | 'unchanged';

export interface ValidatorChange {
  name: string;
  phase: string;
  change: Change;
  before?: Status;
  now?: Status;
  durationMs?: number;
  previousDurationMs?: number;
}

/** Slower means at least this many times the previous duration, and at least `slowerByMs` more. */
export const slowerRatio = 1.5;
export const slowerByMs = 1000;

export const failing = (s: Status) => s === 'failed' || s === 'other';
const outcome = (t: CtrfTest): Outcome => ({ status: t.status, durationMs: t.duration });

/** An outcome as a change is judged from: its status and how long it took. */
export interface Outcome {
  status: Status;
  durationMs: number;
}

/** What changed from `before` to `now`; slower is judged against `usualMs` (by default, the previous duration). */
export function changeOf(now: Outcome | undefined, before: Outcome | undefined, usualMs = before?.durationMs ?? 0): Change {
  if (!before) return 'added';
  if (!now) return 'removed';
  if (failing(now.status)) return failing(before.status) ? 'still failing' : 'newly failing';
  if (failing(before.status) && now.status === 'passed') return 'fixed';
  if (now.status !== before.status) return 'status changed';
  const slower = now.status === 'passed' && now.durationMs >= usualMs * slowerRatio && now.durationMs - usualMs >= slowerByMs;
  return slower ? 'slower' : 'unchanged';
}

/** Every validator of either run with its change, the current run's order first, then the removed ones. */
export function compareRuns(current: CtrfReport, previous: CtrfReport): ValidatorChange[] {
  const key = (t: CtrfTest) => t.name;
  const before = new Map(previous.results.tests.map((t) => [key(t), t]));
  const nowNames = new Set(current.results.tests.map(key));
  const pairs: [CtrfTest | undefined, CtrfTest | undefined][] = [
    ...current.results.tests.map((t) => [t, before.get(key(t))] as [CtrfTest, CtrfTest | undefined]),
    ...previous.results.tests.filter((t) => !nowNames.has(key(t))).map((t) => [undefined, t] as [undefined, CtrfTest]),
  ];
  return pairs.map(([now, was]) => {
    const t = (now ?? was)!;
    return {
      name: t.name,
      phase: t.suite?.[0] ?? '',
      change: changeOf(now && outcome(now), was && outcome(was)),
      ...(was ? { before: was.status, previousDurationMs: was.duration } : {}),
      ...(now ? { now: now.status, durationMs: now.duration } : {}),
    };
  });
}

/** How many validators had each change, unchanged included. */
export function countChanges(diff: ValidatorChange[]): Record<Change, number> {
  const counts = Object.fromEntries([...changes, 'unchanged'].map((c) => [c, 0])) as Record<Change, number>;
  for (const d of diff) counts[d.change]++;
  return counts;
}
