// The worker's periodic sweep: the net under runs that could not clean up (terminated, or a
// race with cancellation). The first pass waits one interval, so a short-lived worker never sweeps.
import type { Client } from '@temporalio/client';
import type { Clients } from '../k8s/client';
import { noteworthy, outcomeLine, sweep, type SweepOptions } from './sweep';

export interface SweepLog {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface PeriodicSweep {
  /** Stops the timer and waits for a pass under way. */
  stop(): Promise<void>;
}

export function startPeriodicSweep(clients: Clients, temporal: Client, intervalMs: number, log: SweepLog, where: Pick<SweepOptions, 'within'> = {}): PeriodicSweep {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const pass = async () => {
    try {
      const { outcomes, unlisted } = await sweep(clients, temporal, where);
      for (const kind of unlisted) log.warn(`sweep: not swept: ${kind}`);
      for (const o of outcomes.filter(noteworthy)) {
        const meta = { object: o.decision.object.name, run: o.decision.run?.runId };
        if (o.result === 'failed') log.warn(`sweep: ${outcomeLine(o)}`, meta);
        else log.info(`sweep: ${outcomeLine(o)}`, meta);
      }
    } catch (err) {
      log.warn(`sweep failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
