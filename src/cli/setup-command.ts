// `verdict setup`: registers Verdict's search attributes on a Temporal namespace (a real cluster;
// the sandbox registers them itself). Safe to run again: it adds only what is missing.
import { Command } from 'commander';
import { temporal } from '@temporalio/proto';
import { planSearchAttributes, searchAttributes } from '../../temporal-config/search-attributes';
import { addressOption, connectCli } from './connection';
import { UsageError } from './errors';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/** "INDEXED_VALUE_TYPE_KEYWORD_LIST" -> "KeywordList", as the Temporal CLI names types. */
const typeName = (t: temporal.api.enums.v1.IndexedValueType) =>
  IndexedValueType[t].replace('INDEXED_VALUE_TYPE_', '').toLowerCase().replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase());

export function setupCommand(): Command {
  return new Command('setup')
    .description("register Verdict's search attributes on a Temporal namespace (idempotent)")
    .addOption(addressOption())
    .option('--namespace <name>', 'Temporal namespace (default: $TEMPORAL_NAMESPACE, else "default")')
    .action(async (o: { address?: string; namespace?: string }) => {
      const client = await connectCli(o.address, o.namespace);
      try {
        const namespace = client.options.namespace;
        const { operatorService } = client.connection;
        const { customAttributes } = await operatorService.listSearchAttributes({ namespace });
        const existing = Object.fromEntries(Object.entries(customAttributes ?? {}).map(([name, t]) => [name, typeName(t)]));
        const plan = planSearchAttributes(existing);
        if (plan.conflicts.length > 0) throw new UsageError(`namespace ${namespace}: ${plan.conflicts.join('; ')}. Rename or remove those attributes first.`);
        const missing = Object.entries(plan.missing);
        if (missing.length > 0) {
          const wanted = Object.fromEntries(missing.map(([name, type]) => [name, IndexedValueType[`INDEXED_VALUE_TYPE_${type.toUpperCase()}` as keyof typeof IndexedValueType]]));
          await operatorService.addSearchAttributes({ namespace, searchAttributes: wanted });
        }
        for (const [name, type] of Object.entries(searchAttributes)) {
          console.log(`${name} (${type}): ${name in plan.missing ? 'registered' : 'already registered'}`);
        }
        console.log(`namespace ${namespace} is ready for Verdict`);
      } finally {
        await client.connection.close();
      }
    });
}
