// `verdict status|cancel|report|list`: runs after they were started, from anywhere.
import { Command, Option } from 'commander';
import { cancelRun, runHandle, runProgress, runsQuery } from '../client';
import { toJUnit } from '../core/junit';
import { searchAttributeKeys as sa } from '../../temporal-config/search-attributes';
import { addressOption, connectCli, withRun } from './connection';
import { UsageError } from './errors';
import { runListLines, summaryTable, validatorStateLines, type RunRow } from './summary';

type Opts = { address?: string };

function statusCommand(): Command {
  return new Command('status')
    .description("a run's state and each validator's")
    .argument('<run>', 'run ID')
    .addOption(addressOption())
    .action((runId: string, o: Opts) =>
      withRun(o.address, runId, async (client) => {
        const handle = runHandle(client, runId);
        const d = await handle.describe();
        console.log(`run ${runId}: ${d.status.name.toLowerCase()}, started ${d.startTime.toISOString()}${d.closeTime ? `, closed ${d.closeTime.toISOString()}` : ''}`);
        const progress = await runProgress(handle).catch(() => undefined); // running, and no worker to answer: state only
        if (progress) for (const line of validatorStateLines(progress.validators)) console.log(`  ${line}`);
      }),
    );
}

function cancelCommand(): Command {
  return new Command('cancel')
    .description('cancel a run: its validators stop, its Jobs and RBAC are deleted, its report says cancelled')
    .argument('<run>', 'run ID')
    .addOption(addressOption())
    .action((runId: string, o: Opts) =>
      withRun(o.address, runId, async (client) => {
        await cancelRun(client, runId);
        console.log(`cancellation of ${runId} requested`);
      }),
    );
}

function reportCommand(): Command {
  return new Command('report')
    .description("a finished run's report")
    .argument('<run>', 'run ID')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'ctrf', 'junit']).default('table'))
    .addOption(addressOption())
    .action((runId: string, o: Opts & { format: 'table' | 'ctrf' | 'junit' }) =>
      withRun(o.address, runId, async (client) => {
        const handle = runHandle(client, runId);
        const { status } = await handle.describe();
        if (status.name === 'RUNNING') throw new UsageError(`run ${runId} is still running: try \`verdict status ${runId}\``);
        const { report } = await handle.result();
        const formats = { table: () => summaryTable(report), ctrf: () => JSON.stringify(report, null, 2), junit: () => toJUnit(report) };
        console.log(formats[o.format]());
      }),
    );
}

function listCommand(): Command {
  return new Command('list')
    .description('recent runs, newest first, filtered by suite and status')
    .option('--suite <name>', 'only runs of this suite')
    .option('--status <status>', 'only runs with this status: running, passed, failed, cancelled')
    .option('--limit <n>', 'at most this many', '20')
    .addOption(addressOption())
    .action(async (o: Opts & { suite?: string; status?: string; limit: string }) => {
      const client = await connectCli(o.address);
      try {
        const rows: RunRow[] = [];
        for await (const w of client.workflow.list({ query: runsQuery(o), pageSize: Number(o.limit) })) {
          const get = <T>(k: { name: string }) => w.typedSearchAttributes.get(k as never) as T | undefined;
          rows.push({ runId: w.workflowId, suite: get<string>(sa.suite) ?? '', status: get<string>(sa.status) ?? w.status.name.toLowerCase(), failed: get<number>(sa.failedCount), started: w.startTime });
          if (rows.length >= Number(o.limit)) break;
        }
        for (const line of runListLines(rows)) console.log(line);
      } finally {
        await client.connection.close();
      }
    });
}

export const runsCommands = () => [statusCommand(), cancelCommand(), reportCommand(), listCommand()];
