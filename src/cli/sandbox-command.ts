// `verdict sandbox up|down|status|env`: the local Temporal + Kubernetes sandbox.
import { Command } from 'commander';
import { down, sandboxInfo, status, up } from '../sandbox/sandbox';

function printEnv(env: Record<string, string>): void {
  for (const [k, v] of Object.entries(env)) console.log(`export ${k}=${v}`);
}

export function sandboxCommand(): Command {
  const cmd = new Command('sandbox').description('the local sandbox: Temporal dev server + Kubernetes control plane with kwok nodes');
  cmd
    .command('up')
    .description('start the sandbox, or reuse it when it is already healthy')
    .option('--workers <n>', 'plain worker nodes besides the GPU node', '2')
    .action(async (o: { workers: string }) => {
      const info = await up({ workers: Number(o.workers), build: true, log: (l) => console.error(l) });
      console.error(`Temporal Web UI: ${info.webUi}\nUse it from a shell with:`);
      printEnv(info.env);
    });
  cmd
    .command('down')
    .description('stop every sandbox process (data is kept unless --purge)')
    .option('--purge', 'also delete the sandbox data (etcd, Temporal database, certificates)')
    .action(async (o: { purge?: boolean }) => {
      await down({ purge: o.purge });
      console.error('sandbox down');
    });
  cmd
    .command('status')
    .description('show each sandbox process and whether it is healthy')
    .action(async () => {
      const rows = await status();
      for (const r of rows) console.log(`${r.name.padEnd(24)} ${r.healthy ? 'healthy' : r.pid ? 'unhealthy' : 'stopped'}${r.pid ? `  pid ${r.pid}` : ''}${r.detail ? `  ${r.detail}` : ''}`);
      process.exitCode = rows.every((r) => r.healthy) ? 0 : 1;
    });
  cmd
    .command('env')
    .description('print the environment variables that point tools at the sandbox')
    .action(() => printEnv(sandboxInfo().env));
  return cmd;
}
