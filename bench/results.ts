// What one side's run of one experiment measured.
import type { Side } from './identity';

export interface SideResult {
  side: Side;
  validators: number;
  runs: number;
  /** Validators in flight at most (per run concurrency x runs). */
  concurrency: number;
  durationSeconds: number;
  wallMs: number;
  /** Validators that ended with the status their exit code calls for. */
  correct: number;
  /** Per validator: pod terminal status written -> result recorded, in ms. */
  latencies: number[];
  /** Per validator: validator container terminated (seen) -> result recorded, in ms. */
  exitLatencies: number[];
  /** Requests the API server dispatched for this side's identity (its flow schema). */
  requests: number;
  /** The same requests by verb, as the client counted them. */
  byVerb: Record<string, number>;
  /** Cluster-wide requests by verb meanwhile (controllers, kwok, other tenants included). */
  clusterByVerb: Record<string, number>;
  /** Peak open watches: the worker's own count (Verdict) or the server's gauge above its start (baseline). */
  peakWatches: number;
  peakRssBytes?: number;
  historyEventsPerValidator?: number;
  largestPayloadBytes?: number;
}

export const waves = (r: Pick<SideResult, 'validators' | 'concurrency'>) => Math.ceil(r.validators / r.concurrency);

/** Wall time not spent running validators, per validator slot: (wall - waves x duration) / waves. */
export const overheadSeconds = (r: SideResult) => (r.wallMs / 1000 - waves(r) * r.durationSeconds) / waves(r);
