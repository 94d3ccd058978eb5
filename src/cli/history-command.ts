// `verdict history <suite>`: the suite's last runs on a cluster, validator by validator.
import { Command } from 'commander';
import { suiteHistoryOf } from '../client';
import { defaultCluster } from '../core/cluster';
import { runsOf } from '../core/history';
import { addressOption, connectCli } from './connection';
import { UsageError } from './errors';
import { historyGrid } from './summary';

export function historyCommand(): Command {
  return new Command('history')
    .description("a suite's last runs on a cluster: each validator's status per run, newest first, how often it passed and flipped")
    .argument('<suite>', 'suite name')
    .option('--cluster <name>', 'the cluster the runs checked', process.env.VERDICT_CLUSTER ?? defaultCluster)
    .option('--last <n>', 'show this many runs', '20')
    .addOption(addressOption())
    .action(async (suite: string, o: { cluster: string; last: string; address?: string }) => {
      const last = Number(o.last);
      if (!Number.isInteger(last) || last < 1) throw new UsageError(`--last ${o.last}: expected a whole number of runs, at least 1`);
      const client = await connectCli(o.address);
      try {
        const history = await suiteHistoryOf(client, suite, o.cluster);
        if (!history) throw new UsageError(`suite ${suite} has no recorded run on cluster ${o.cluster} (runs are recorded as they end): check the suite's name and --cluster`);
        const runs = runsOf(history).slice(0, last);
        const dropped = history.droppedForSize ? `; ${history.droppedForSize} older dropped to keep the history within its size` : '';
        console.log(`suite ${suite} on cluster ${o.cluster}: ${runs.length} of ${history.runs.length} kept runs (keeps ${history.keep}${dropped}), newest first\n`);
        for (const line of historyGrid(runs)) console.log(line);
      } finally {
        await client.connection.close();
      }
    });
}
