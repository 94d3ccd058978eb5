// Choosing a suite's validators at run time (`verdict run --only/--skip/--phase`, `verdict rerun
// --failed`): the run gets the suite with the others left out, so its report lists only what ran.
import { phases, type Phase, type Suite } from './spec';

export interface Selection {
  /** Only these validators, by name. */
  only?: string[];
  /** Not these validators, by name. */
  skip?: string[];
  /** Only validators of these phases. */
  phases?: string[];
}

export class SelectionError extends Error {}

/** The suite with only the selected validators; a name or phase the suite lacks, or nothing left, is an error naming the option. */
export function selectValidators(suite: Suite, selection: Selection, what = 'the suite'): Suite {
  const names = new Set(suite.validators.map((v) => v.name));
  const problems = [
    ...unknown('--only', selection.only, names, what),
    ...unknown('--skip', selection.skip, names, what),
    ...(selection.phases ?? []).filter((p) => !phases.includes(p as Phase)).map((p) => `--phase ${p}: not a phase; the phases are ${phases.join(', ')}`),
  ];
  if (problems.length) throw new SelectionError(problems.join('\n'));
  const only = selection.only?.length ? new Set(selection.only) : undefined;
  const skip = new Set(selection.skip ?? []);
  const inPhases = selection.phases?.length ? new Set(selection.phases) : undefined;
  const validators = suite.validators.filter((v) => (!only || only.has(v.name)) && !skip.has(v.name) && (!inPhases || inPhases.has(v.phase)));
  if (validators.length === 0) throw new SelectionError(`no validator of ${what} is left to run with ${describe(selection)}: choose at least one`);
  return { ...suite, validators };
}

function unknown(option: string, asked: string[] | undefined, names: Set<string>, what: string): string[] {
  const missing = (asked ?? []).filter((n) => !names.has(n));
  return missing.length ? [`${option}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in ${what}; its validators are ${listed([...names])}`] : [];
}

/** Up to 20 names, so a 500-validator suite's error stays readable. */
const listed = (names: string[]) => (names.length > 20 ? `${names.slice(0, 20).join(', ')} and ${names.length - 20} more` : names.join(', '));

function describe(s: Selection): string {
  const parts = [s.only?.length && `--only ${s.only.join(',')}`, s.skip?.length && `--skip ${s.skip.join(',')}`, s.phases?.length && `--phase ${s.phases.join(',')}`];
  return parts.filter(Boolean).join(' ') || 'this selection';
}
