// The `verdict` command line.
import { Command } from 'commander';
import { sandboxCommand } from './sandbox-command';

const program = new Command('verdict').description('durable validation runs on Kubernetes, on Temporal').addCommand(sandboxCommand());

program.parseAsync().catch((err: unknown) => {
  console.error(`verdict: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
});
