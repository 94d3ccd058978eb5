// The API server's own counters, scraped with the sandbox admin's credentials (exempt from the
// bench's flow schemas, so scraping never counts against either side).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { binaryPath } from '../src/sandbox/binaries';
import { paths } from '../src/sandbox/layout';
import { sumBy } from './prometheus';

const run = promisify(execFile);

/** Asynchronous, so the bench's own pod watch keeps its timestamps honest while it runs. */
export async function scrape(): Promise<string> {
  const { stdout } = await run(binaryPath('kubectl'), [`--kubeconfig=${paths.kubeconfig()}`, 'get', '--raw', '/metrics'], { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

/** Requests dispatched per flow schema (each bench identity has its own). */
export const dispatchedByFlowSchema = (text: string) => sumBy(text, 'apiserver_flowcontrol_dispatched_requests_total', (l) => l.flow_schema);

/** Every request the server answered, cluster-wide, by verb (controllers, kwok and other tenants included). */
export const requestsByVerb = (text: string) => sumBy(text, 'apiserver_request_total', (l) => l.verb);

/** Watches open right now, cluster-wide. */
export const openWatches = (text: string): number => sumBy(text, 'apiserver_longrunning_requests', (l) => (l.verb === 'WATCH' ? 'w' : undefined)).get('w') ?? 0;
