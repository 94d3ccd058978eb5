// `verdict status|cancel|report|list`: runs after they were started, from anywhere.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { Client } from '@temporalio/client';
import { cancelRun, lockStandingOf, runHandle, runProgress, runsQuery, suiteHistoryOf } from '../client';
import type { CtrfReport } from '../core/ctrf';
import { runsOf } from '../core/history';
import { htmlReport } from '../core/html-report';
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
        if (progress?.waiting) console.log(`  ${(await lockStandingOf(client, d)) ?? `waiting for ${progress.waiting}`}`);
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

type ReportFormat = 'table' | 'ctrf' | 'junit' | 'html';

function reportCommand(): Command {
  return new Command('report')
    .description("a finished run's report: a table, CTRF JSON, JUnit XML, or one self-contained HTML page with each validator's recent history")
    .argument('<run>', 'run ID')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'ctrf', 'junit', 'html']).default('table'))
    .option('-o, --output <file>', 'write the report to this file and print its path, instead of writing it to stdout')
    .addOption(addressOption())
    .action((runId: string, o: Opts & { format: ReportFormat; output?: string }) =>
      withRun(o.address, runId, async (client) => {
        const handle = runHandle(client, runId);
        const { status } = await handle.describe();
        if (status.name === 'RUNNING') throw new UsageError(`run ${runId} is still running: try \`verdict status ${runId}\``);
        const { report } = await handle.result();
        const formats = { table: () => summaryTable(report), ctrf: () => JSON.stringify(report, null, 2), junit: () => toJUnit(report), html: () => htmlPage(client, report) };
        const text = await formats[o.format]();
        if (o.output) console.log(writeReport(o.output, text));
        else console.log(text);
      }),
    );
}

/** Writes the report, ending with a newline as on stdout; returns the file's absolute path. */
function writeReport(file: string, text: string): string {
  try {
    writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
  } catch (err) {
    throw new UsageError(`cannot write the report to ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return resolve(file);
}

/** The page, each validator with its strip from the suite's history on the run's cluster; a history that cannot be read is said, not fatal. */
async function htmlPage(client: Client, report: CtrfReport): Promise<string> {
  const { suite, cluster } = report.results.extra ?? {};
  if (typeof suite !== 'string' || typeof cluster !== 'string') return htmlReport(report);
  try {
    const history = await suiteHistoryOf(client, suite, cluster);
    return htmlReport(report, { history: history ? runsOf(history) : [] });
  } catch (err) {
    const problem = `suite ${suite}'s history on cluster ${cluster} could not be read: ${err instanceof Error ? err.message : String(err)}`;
    console.error(`verdict: ${problem}; the page has no history strips`);
    return htmlReport(report, { historyProblem: problem });
  }
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
