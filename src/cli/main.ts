// The `verdict` command line. Exit codes: 0 nothing failed, 1 a validator failed or was other,
// 2 bad input or configuration (nothing was started), 3 anything unexpected.
import { Command } from 'commander';
import { InvalidRunInput } from '../client';
import { UsageError } from './errors';
import { runCommand } from './run-command';
import { rerunCommand } from './rerun-command';
import { diffCommand } from './diff-command';
import { historyCommand } from './history-command';
import { logsCommand } from './logs-command';
import { SelectionError } from '../core/selection';
import { runsCommands } from './runs-command';
import { sandboxCommand } from './sandbox-command';
import { scheduleCommand } from './schedule-command';
import { setupCommand } from './setup-command';
import { schemaCommand, validateCommand } from './suite-commands';
import { SuiteFileError } from './suite-file';
import { workerCommand } from './worker-command';
import { codecServerCommand, withCodecHint } from './codec-command';
import { clustersCommand } from './clusters-command';
import { gcCommand } from './gc-command';
import { installCliLogger } from './logging';

const worker = workerCommand();

const program = new Command('verdict')
  .description('durable validation runs on Kubernetes, on Temporal')
  .addCommand(runCommand())
  .addCommand(rerunCommand())
  .addCommand(diffCommand())
  .addCommand(historyCommand())
  .addCommand(logsCommand())
  .addCommand(validateCommand())
  .addCommand(schemaCommand())
  .addCommand(worker)
  .addCommand(codecServerCommand())
  .addCommand(scheduleCommand())
  .addCommand(setupCommand())
  .addCommand(gcCommand())
  .addCommand(clustersCommand())
  .addCommand(sandboxCommand());
for (const c of runsCommands()) program.addCommand(c);
// One Temporal Runtime per process: `verdict worker` installs its own (metrics, structured logs).
program.hook('preAction', (_program, action) => {
  if (action !== worker) installCliLogger();
});

program.parseAsync().catch((thrown: unknown) => {
  const err = withCodecHint(thrown);
  const usage = err instanceof UsageError || err instanceof SuiteFileError || err instanceof InvalidRunInput || err instanceof SelectionError;
  console.error(`verdict: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = usage ? 2 : 3;
});
