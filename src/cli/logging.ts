// The Temporal runtime logs at WARN in the CLI (VERDICT_LOG_LEVEL changes it): a run's own
// progress lines are what a person wants to read.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

export function installCliLogger(): void {
  const wanted = (process.env.VERDICT_LOG_LEVEL ?? 'WARN').toUpperCase();
  Runtime.install({ logger: new DefaultLogger((levels.includes(wanted) ? wanted : 'WARN') as LogLevel) });
}
