// Where the CLI finds Temporal: --address, else $TEMPORAL_ADDRESS, else the local sandbox.
import { Option } from 'commander';
import type { Client } from '@temporalio/client';
import { connect } from '../client';
import { sandboxInfo } from '../sandbox/sandbox';
import { UsageError } from './errors';

export const addressOption = () => new Option('--address <host:port>', 'Temporal frontend (default: $TEMPORAL_ADDRESS, else the local sandbox)').env('TEMPORAL_ADDRESS');

export async function connectCli(address: string | undefined): Promise<Client> {
  const target = address ?? sandboxInfo().temporalAddress;
  return connect({ address: target, namespace: process.env.TEMPORAL_NAMESPACE }).catch((err: Error) => {
    throw new UsageError(`cannot reach Temporal at ${target}: ${err.message}. Is the server running (\`verdict sandbox up\`), or is --address / TEMPORAL_ADDRESS right?`);
  });
}
