// The bench's command line, parsed in one pass: every bad flag is reported at once, with the fix.
export interface BenchArgs {
  /** Validators per size, e.g. 10,100,1000. */
  sizes: number[];
  /** Concurrency levels for the overhead figure. */
  concurrency: number[];
  /** At most this many waves per overhead suite (a sequential suite of 1,000 would take an hour). */
  maxWaves: number;
  /** How long each simulated validator runs, in seconds. */
  durationSeconds: number;
  /** Runs at once in the scale figure. */
  scaleRuns: number;
  /** kwok nodes the scale figure needs (extra ones are registered, then removed). */
  scaleNodes: number;
  /** Skip the baseline in the scale figure (its kubectl processes dominate a 2-core machine). */
  baselineScale: boolean;
  /** Real validators on the sandbox's real node (0: none), and how many run at once. */
  real: number;
  realConcurrency: number;
  /** Only the real-node experiment. */
  onlyReal: boolean;
  /** Where to append the results table (empty: do not append). */
  results: string;
}

export const defaults: BenchArgs = { sizes: [10], concurrency: [1, 16, 64], maxWaves: 5, durationSeconds: 1, scaleRuns: 10, scaleNodes: 20, baselineScale: true, real: 12, realConcurrency: 4, onlyReal: false, results: 'bench/RESULTS.md' };

export const usage = `usage: npm run bench -- [--sizes 10,100,1000] [--concurrency 1,16,64] [--max-waves 5]
  [--duration 1] [--scale-runs 10] [--scale-nodes 20] [--no-baseline-scale] [--real 12] [--real-concurrency 4] [--only-real]
  [--results bench/RESULTS.md|'']`;

const positiveList = (flag: string, v: string, errors: string[]): number[] => {
  const items = v.split(',').map((s) => Number(s.trim()));
  if (v.trim() === '' || items.some((n) => !Number.isInteger(n) || n < 1)) errors.push(`${flag} ${JSON.stringify(v)}: must be positive whole numbers separated by commas, e.g. ${flag} 10,100`);
  return items;
};

const positive = (flag: string, v: string, errors: string[], min = 1): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) errors.push(`${flag} ${JSON.stringify(v)}: must be a whole number of at least ${min}`);
  return n;
};

export function parseArgs(argv: string[]): BenchArgs {
  const out = { ...defaults };
  const errors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--no-baseline-scale') {
      out.baselineScale = false;
      continue;
    }
    if (flag === '--only-real') {
      out.onlyReal = true;
      continue;
    }
    const value = argv[i + 1];
    const known = ['--sizes', '--concurrency', '--max-waves', '--duration', '--scale-runs', '--scale-nodes', '--real', '--real-concurrency', '--results'];
    if (!known.includes(flag)) {
      errors.push(`unknown flag ${JSON.stringify(flag)}`);
      continue;
    }
    if (value === undefined) {
      errors.push(`${flag} needs a value`);
      continue;
    }
    i++;
    if (flag === '--sizes') out.sizes = positiveList(flag, value, errors);
    if (flag === '--concurrency') out.concurrency = positiveList(flag, value, errors);
    if (flag === '--max-waves') out.maxWaves = positive(flag, value, errors);
    if (flag === '--duration') out.durationSeconds = positive(flag, value, errors, 0);
    if (flag === '--scale-runs') out.scaleRuns = positive(flag, value, errors);
    if (flag === '--scale-nodes') out.scaleNodes = positive(flag, value, errors);
    if (flag === '--real') out.real = positive(flag, value, errors, 0);
    if (flag === '--real-concurrency') out.realConcurrency = positive(flag, value, errors);
    if (flag === '--results') out.results = value;
  }
  if (out.concurrency.some((c) => c > 256)) errors.push('--concurrency: at most 256 (a suite allows no more)');
  for (const n of out.sizes) if (n % out.scaleRuns !== 0) errors.push(`--sizes ${n}: must divide evenly across --scale-runs ${out.scaleRuns} runs`);
  if (out.onlyReal && out.real === 0) errors.push('--only-real with --real 0 measures nothing: give --real a number of validators');
  if (errors.length > 0) throw new Error(`${errors.join('\n')}\n${usage}`);
  return out;
}
