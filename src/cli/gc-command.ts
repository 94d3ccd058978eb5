// `verdict gc`: deletes what Verdict left in the cluster for runs that are closed in Temporal (or
// that Temporal no longer knows), never anything of an open run, one line per object and why.
import { Command, Option } from 'commander';
import { loadKubeConfig, makeClients } from '../k8s/client';
import { sandboxInfo } from '../sandbox/sandbox';
import { noteworthy, outcomeLine, sweep } from '../sweep/sweep';
import { addressOption, connectCli } from './connection';

interface GcOptions {
  address?: string;
  temporalNamespace?: string;
  namespace?: string;
  kubeconfig?: string;
  sandbox?: boolean;
  dryRun?: boolean;
  namespaces?: boolean;
}

export function gcCommand(): Command {
  return new Command('gc')
    .description("delete what Verdict left behind for runs that are closed (or unknown to Temporal); never an open run's objects")
    .option('--dry-run', 'list what would be deleted, delete nothing')
    .option('--namespace <name>', 'only this Kubernetes namespace (default: every namespace you may list)')
    .option('--namespaces', 'also delete namespaces Verdict created, once no run uses them and they hold nothing else')
    .addOption(new Option('--kubeconfig <file>', 'the cluster (default: $KUBECONFIG, else the local sandbox)').env('KUBECONFIG'))
    .option('--sandbox', 'the local sandbox cluster, whatever KUBECONFIG says')
    .addOption(addressOption())
    .addOption(new Option('--temporal-namespace <name>', 'Temporal namespace the runs live in (default: $TEMPORAL_NAMESPACE, else "default")'))
    .action((o: GcOptions) => gc(o));
}

async function gc(o: GcOptions): Promise<void> {
  const clients = makeClients(loadKubeConfig(o.sandbox || !o.kubeconfig ? sandboxInfo().kubeconfig : o.kubeconfig));
  const temporal = await connectCli(o.address, o.temporalNamespace);
  try {
    const { outcomes, unlisted } = await sweep(clients, temporal, { namespace: o.namespace, dryRun: o.dryRun, namespaces: o.namespaces });
    for (const outcome of outcomes.filter(noteworthy)) console.log(outcomeLine(outcome));
    for (const kind of unlisted) console.error(`verdict: not swept: ${kind}`);
    const count = (results: string[]) => outcomes.filter((x) => results.includes(x.result)).length;
    const removed = o.dryRun ? `${count(['would delete', 'would unlabel'])} to remove` : `${count(['deleted', 'gone', 'unlabelled'])} removed`;
    console.log(`${removed}, ${count(['kept', 'changed', 'label not ours'])} kept${o.dryRun ? ' (dry run: nothing deleted)' : ''}`);
    const failed = count(['failed']);
    if (failed > 0) throw new Error(`${failed} object(s) could not be removed (see above)`);
  } finally {
    await temporal.connection.close();
  }
}
