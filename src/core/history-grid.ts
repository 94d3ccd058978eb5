// Each validator's status run by run over a suite's history: the rows of `verdict history`'s grid
// and of the HTML report's strips, with how often each passed and flipped. Pure.
import type { HistoryRun } from './history';
import { flips } from './insights';
import type { Status } from './result';

/** A status as one character, so a grid or strip reads without colour. */
export const statusSymbols: Record<Status, string> = { passed: '✓', failed: '✗', skipped: '-', other: '!' };
/** A run the validator was not part of. */
export const absentSymbol = '·';

export interface ValidatorRow {
  name: string;
  /** Its status in each run, in the runs' order; undefined where it was not in the run. */
  statuses: (Status | undefined)[];
  /** Runs it ran in (skipped ones do not count), and how many of those it passed. */
  ran: number;
  passed: number;
  /** Changes between passing and not over consecutive runs it ran in. */
  flips: number;
}

/** Every validator of the runs, in the order they first appear, with its status in each run. */
export function validatorRows(runs: HistoryRun[]): ValidatorRow[] {
  const names = [...new Set(runs.flatMap((r) => r.validators.map((v) => v.name)))];
  const statuses = runs.map((r) => new Map(r.validators.map((v) => [v.name, v.status])));
  return names.map((name) => {
    const seen = statuses.map((s) => s.get(name));
    const { ran, flips: n } = flips(seen);
    return { name, statuses: seen, ran: ran.length, passed: ran.filter((s) => s === 'passed').length, flips: n };
  });
}
