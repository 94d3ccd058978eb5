// Where the CLI finds Temporal: --address, else $TEMPORAL_ADDRESS, else the local sandbox.
import { hostname, userInfo } from 'node:os';
import { Option } from 'commander';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { connect } from '../client';
import { sandboxInfo } from '../sandbox/sandbox';
import { connectionSettingsFromEnv } from '../../temporal-config/connection';
import { SettingsError } from '../../temporal-config/settings';
import { UsageError } from './errors';
import { cliCodec } from './codec-command';

export const addressOption = () => new Option('--address <host:port>', 'Temporal frontend (default: $TEMPORAL_ADDRESS, else the local sandbox)').env('TEMPORAL_ADDRESS');

/** The CLI's identity on the runs it starts or cancels: the user, the machine, and the tool. */
export const cliIdentity = () => `${userInfo().username}@${hostname()} (verdict CLI)`;

export async function connectCli(address: string | undefined, namespace?: string): Promise<Client> {
  const target = address ?? sandboxInfo().temporalAddress;
  // With codec keys configured, payloads are encrypted on the way in and decrypted on the way out.
  const codec = cliCodec();
  // A named server takes the TEMPORAL_* TLS / mTLS / API key settings; the sandbox is plain gRPC.
  const settings = address
    ? connectionSettingsFromEnv(process.env, { address, ...(namespace ? { namespace } : {}) })
    : { address: target, namespace: namespace ?? (process.env.TEMPORAL_NAMESPACE || undefined) };
  return connect({ ...settings, codec, identity: cliIdentity() }).catch((err: Error) => {
    if (err instanceof SettingsError) throw new UsageError(err.message);
    throw new UsageError(`cannot reach Temporal at ${target}: ${err.message}. Is the server running (\`verdict sandbox up\`), or is --address / TEMPORAL_ADDRESS right?`);
  });
}

/** Runs `fn` with a client for one run's command; a run Temporal does not know is a usage error naming it. */
export async function withRun<T>(address: string | undefined, runId: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectCli(address);
  try {
    return await fn(client);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new UsageError(`no run with ID ${runId}`);
    throw err;
  } finally {
    await client.connection.close();
  }
}
