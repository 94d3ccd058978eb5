// The Temporal Runtime, installed once per process (Runtime.install allows no second call):
// every command but `verdict worker` gets the quiet CLI logger, at WARN (VERDICT_LOG_LEVEL
// changes it), since a run's own progress lines are what a person wants to read; the worker
// installs its own, with structured logs and Prometheus metrics.
import { DefaultLogger, Runtime, type LogEntry, type Logger, type LogLevel } from '@temporalio/worker';
import { levels } from '../../worker/config';
import { outcomeHistogramBuckets } from '../core/outcome-metrics';

export function installCliLogger(): void {
  const wanted = (process.env.VERDICT_LOG_LEVEL ?? 'WARN').toUpperCase();
  // No shutdownSignals: the Runtime would take SIGINT and SIGTERM to stop the embedded worker; the
  // commands decide what a signal means (run-command.ts cancels its run first).
  Runtime.install({ logger: new DefaultLogger(levels.find((l) => l === wanted) ?? 'WARN'), shutdownSignals: [] });
}

export interface WorkerRuntimeOptions {
  logFormat: 'json' | 'text';
  logLevel: LogLevel;
  /** host:port for the Prometheus exporter (GET /metrics); none turns metrics off. */
  metricsBindAddress?: string;
}

/** One JSON object per line: time, level, message, then the entry's metadata (workflow, activity, task queue...). */
export function jsonLogLine(entry: LogEntry): string {
  const head = { time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(), level: entry.level, message: entry.message };
  // time, level and message first, and no metadata field may replace them.
  const record = { ...head, ...entry.meta, ...head };
  try {
    return JSON.stringify(record, jsonSafe);
  } catch {
    // Circular metadata: keep the line, drop what cannot be written.
    return JSON.stringify({ time: record.time, level: record.level, message: record.message, meta: '(unserializable)' });
  }
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/** Installs the worker's Runtime: its logger (core logs forwarded to it) and metrics exporter. Returns the logger. */
export function installWorkerRuntime(o: WorkerRuntimeOptions): Logger {
  const logger = o.logFormat === 'json' ? new DefaultLogger(o.logLevel, (e) => process.stderr.write(`${jsonLogLine(e)}\n`)) : new DefaultLogger(o.logLevel);
  Runtime.install({
    logger,
    telemetryOptions: {
      logging: { filter: { core: o.logLevel, other: 'WARN' }, forward: {} },
      // The exporter adds no suffixes, so src/core/outcome-metrics.ts's names are the scraped ones; its histogram gets buckets in seconds.
      ...(o.metricsBindAddress ? { metrics: { prometheus: { bindAddress: o.metricsBindAddress, histogramBucketOverrides: outcomeHistogramBuckets } } } : {}),
    },
  });
  return logger;
}
