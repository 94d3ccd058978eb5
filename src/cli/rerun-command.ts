// `verdict rerun <run>`: the same suite, inputs and cluster again, or with --failed only the
// validators that failed or ended other. The new run's report names the run it repeats.
import { Command } from 'commander';
import type { Client } from '@temporalio/client';
import { runHandle, runInputOf } from '../client';
import { runInputSchema, type Run } from '../core/run';
import { describeIssues } from '../core/spec';
import { selectValidators } from '../core/selection';
import { withRun } from './connection';
import { failing } from '../core/diff';
import { UsageError } from './errors';
import { parseLabels, startAndFollow, withRunOptions, withSelection, type RunOptions } from './run-command';

/** The report label that names the run a rerun repeats. */
export const rerunOfLabel = 'verdict.dev/rerun-of';

export function rerunCommand(): Command {
  return withRunOptions(
    new Command('rerun')
      .description("run a run's suite again, with the same inputs and cluster")
      .argument('<run>', 'run ID')
      .option('--failed', 'only the validators that failed or ended other'),
  ).action(async (runId: string, o: RunOptions & { failed?: boolean }) => startAndFollow(withSelection(await repeated(runId, o), o), o));
}

function repeated(runId: string, o: RunOptions & { failed?: boolean }): Promise<Run> {
  return withRun(o.address, runId, async (client) => {
    const parsed = runInputSchema.safeParse(await runInputOf(client, runId));
    if (!parsed.success) throw new UsageError(`run ${runId} was started with an input that is not valid, so it cannot be repeated:\n${describeIssues(parsed.error)}`);
    const input = { ...parsed.data, labels: { ...parsed.data.labels, [rerunOfLabel]: runId, ...parseLabels(o.label) } };
    if (!o.failed) return input;
    const names = await notPassed(client, runId);
    if (names.length === 0) throw new UsageError(`run ${runId} has no validator that failed or ended other: nothing to rerun with --failed`);
    return { ...input, suite: selectValidators(input.suite, { only: names }, `run ${runId}`) };
  });
}

/** The validators of an ended run that failed or ended other. */
async function notPassed(client: Client, runId: string): Promise<string[]> {
  const handle = runHandle(client, runId);
  const { status } = await handle.describe();
  if (status.name === 'RUNNING') throw new UsageError(`run ${runId} is still running: rerun --failed needs its result (\`verdict status ${runId}\`)`);
  if (status.name !== 'COMPLETED') throw new UsageError(`run ${runId} ended ${status.name.toLowerCase()} without a report, so it has no failed validators to choose: rerun it whole, without --failed`);
  const { report } = await handle.result();
  return report.results.tests.filter((t) => failing(t.status)).map((t) => t.name);
}
