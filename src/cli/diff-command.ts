// `verdict diff <run> [<other run>]`: what changed against the previous completed run of the
// same suite on the same cluster, or against the run named. Exit 1 when anything newly fails.
import { Command } from 'commander';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { previousRunOf, runHandle } from '../client';
import { compareRuns } from '../core/diff';
import type { CtrfReport } from '../core/ctrf';
import { addressOption, withRun } from './connection';
import { UsageError } from './errors';
import { diffLines } from './summary';

export function diffCommand(): Command {
  return new Command('diff')
    .description('what changed since the previous run of the same suite on the same cluster (or since <other>): newly failing, fixed, still failing, slower, added, removed; exits 1 when anything newly fails')
    .argument('<run>', 'run ID')
    .argument('[other]', 'the run to compare with (default: the previous completed run of the same suite and cluster)')
    .addOption(addressOption())
    .action((runId: string, otherId: string | undefined, o: { address?: string }) =>
      withRun(o.address, runId, async (client) => {
        const current = await reportOf(client, runId);
        const previousId = otherId ?? (await previousRunOf(client, runId));
        if (!previousId) throw new UsageError(`run ${runId} has no earlier completed run of its suite on its cluster to compare with: name one, \`verdict diff ${runId} <other run>\``);
        const diff = compareRuns(current, await reportOf(client, previousId));
        console.log(`run ${runId} against ${previousId}`);
        for (const line of diffLines(diff)) console.log(line);
        process.exitCode = diff.some((d) => d.change === 'newly failing') ? 1 : 0;
      }),
    );
}

async function reportOf(client: Client, runId: string): Promise<CtrfReport> {
  const handle = runHandle(client, runId);
  const { status } = await handle.describe().catch((err: unknown) => {
    throw err instanceof WorkflowNotFoundError ? new UsageError(`no run with ID ${runId}`) : err;
  });
  if (status.name !== 'COMPLETED') throw new UsageError(`run ${runId} is ${status.name.toLowerCase()} and has no report to compare${status.name === 'RUNNING' ? ': wait for it to end' : ''}`);
  return (await handle.result()).report;
}
