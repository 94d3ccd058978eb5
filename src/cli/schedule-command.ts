// `verdict schedule create|list|describe|pause|unpause|trigger|delete`: nightly runs as Temporal Schedules.
import { Command, Option } from 'commander';
import type { Client } from '@temporalio/client';
import { createSchedule, overlapPolicies, recentRuns, type Overlap } from '../client';
import { addressOption, connectCli } from './connection';
import { loadSuiteFile } from './suite-file';

type Opts = { address?: string };

async function withClient(o: Opts, fn: (client: Client) => Promise<void>): Promise<void> {
  const client = await connectCli(o.address);
  try {
    await fn(client);
  } finally {
    await client.connection.close();
  }
}

const simple = (name: string, description: string, act: (client: Client, id: string) => Promise<string>) =>
  new Command(name)
    .description(description)
    .argument('<name>', 'schedule name')
    .addOption(addressOption())
    .action((id: string, o: Opts) => withClient(o, async (client) => console.log(await act(client, id))));

export function scheduleCommand(): Command {
  const cmd = new Command('schedule').description('scheduled runs (Temporal Schedules)');
  cmd.addCommand(
    new Command('create')
      .description('run a suite on a cron schedule')
      .argument('<name>', 'schedule name (also the prefix of its runs\' IDs)')
      .requiredOption('--suite <file>', 'suite file')
      .requiredOption('--cron <expression>', 'cron expression, e.g. "0 2 * * *"')
      .option('--timezone <tz>', 'IANA time zone of the cron expression, e.g. Europe/Paris')
      .addOption(new Option('--overlap <policy>', 'when the previous run is still going').choices(Object.keys(overlapPolicies)).default('skip'))
      .option('--cluster <name>', 'the cluster to check: its runs go to its workers (task queue verdict-<name>; for "default", verdict)', process.env.VERDICT_CLUSTER)
      .option('--clusters <names>', "fleet runs: the suite on each of these clusters (comma-separated), served from the first one's task queue")
      .option('--task-queue <name>', "task queue of the workers to run on (default: the cluster's)")
      .addOption(addressOption())
      .action((id: string, o: Opts & { suite: string; cron: string; timezone?: string; overlap: Overlap; cluster?: string; clusters?: string; taskQueue?: string }) =>
        withClient(o, async (client) => {
          const input = loadSuiteFile(o.suite, { cluster: o.cluster });
          const fleet = o.clusters === undefined ? undefined : { clusters: o.clusters.split(',').filter(Boolean) };
          await createSchedule(client, { scheduleId: id, input, cron: o.cron, timezone: o.timezone, overlap: o.overlap, taskQueue: o.taskQueue, fleet });
          const where = fleet ? `clusters ${fleet.clusters.join(', ')}` : `cluster ${input.cluster}`;
          console.log(`schedule ${id} created: suite ${input.suite.name} on ${where}, cron "${o.cron}"${o.timezone ? ` (${o.timezone})` : ''}, overlap ${o.overlap}`);
        }),
      ),
  );
  cmd.addCommand(
    new Command('list')
      .description('every schedule')
      .addOption(addressOption())
      .action((o: Opts) =>
        withClient(o, async (client) => {
          for await (const s of client.schedule.list()) console.log(`${s.scheduleId}  ${s.state.paused ? 'paused' : 'active'}  next: ${s.info.nextActionTimes[0]?.toISOString() ?? '-'}`);
        }),
      ),
  );
  cmd.addCommand(
    simple('describe', 'a schedule: its spec, state, next and recent runs', async (client, id) => {
      const d = await client.schedule.getHandle(id).describe();
      const memo = (d.memo ?? {}) as { cron?: string; suite?: string };
      return [
        `schedule ${id}: ${d.state.paused ? 'paused' : 'active'}, suite ${memo.suite ?? '?'}, cron "${memo.cron ?? '?'}"${d.spec.timezone ? ` (${d.spec.timezone})` : ''}, overlap ${d.policies.overlap}`,
        `next runs: ${d.info.nextActionTimes.map((t) => t.toISOString()).join(', ') || '-'}`,
        `recent runs: ${recentRuns(d).join(', ') || '-'}`,
      ].join('\n');
    }),
  );
  cmd.addCommand(simple('pause', 'stop starting runs', async (client, id) => (await client.schedule.getHandle(id).pause('paused from the verdict CLI'), `schedule ${id} paused`)));
  cmd.addCommand(simple('unpause', 'start runs again', async (client, id) => (await client.schedule.getHandle(id).unpause('unpaused from the verdict CLI'), `schedule ${id} active`)));
  cmd.addCommand(simple('trigger', 'start a run now', async (client, id) => (await client.schedule.getHandle(id).trigger(), `schedule ${id} triggered`)));
  cmd.addCommand(simple('delete', 'delete the schedule (its past runs stay)', async (client, id) => (await client.schedule.getHandle(id).delete(), `schedule ${id} deleted`)));
  return cmd;
}
