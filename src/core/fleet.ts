// A fleet run: one suite on several clusters at once, each cluster's run on its own workers. The
// fleet's result stays small whatever the fleet: per cluster a reference to its run and its
// summary (the reports stay in those runs), and a matrix of validators by cluster. Pure and
// workflow-safe. See docs/decisions/fleet-runs.md.
import { z } from 'zod';
import { reportHead, type CtrfReport } from './ctrf';
import { parseDuration } from './duration';
import type { Status } from './result';
import { reportLabelsSchema, suiteSchema } from './spec';

/** Clusters one fleet run may cover: fifty clusters from one Temporal namespace, with room. */
export const maxFleetClusters = 100;

export const fleetInputSchema = z.strictObject({
  suite: suiteSchema,
  clusters: z
    .array(z.string().min(1, 'a cluster name may not be empty').max(200))
    .min(1, 'name at least one cluster')
    .max(maxFleetClusters, `at most ${maxFleetClusters} clusters per fleet run`)
    .refine((c) => new Set(c).size === c.length, 'each cluster may be named once'),
  /** How long a cluster may have no worker polling its queue before it is reported unavailable. */
  unavailableAfter: z
    .string()
    .refine((s) => parseDuration(s) !== undefined, 'must be a duration such as "90s", "2m" or "1h"')
    .default('2m'),
  labels: reportLabelsSchema.default({}),
});

export type FleetInput = z.input<typeof fleetInputSchema>;
export type Fleet = z.output<typeof fleetInputSchema>;

/** A cluster's run in a fleet: `<fleet run>@<cluster>`. */
export const clusterRunId = (fleetRunId: string, cluster: string) => `${fleetRunId}@${cluster}`;

export type ClusterRunStatus = 'passed' | 'failed' | 'cancelled' | 'unavailable' | 'error';

/** What the fleet keeps of one cluster's run. */
export interface ClusterOutcome {
  cluster: string;
  status: ClusterRunStatus;
  /** The cluster's run, which holds its report (absent when no run was started). */
  runId?: string;
  execution?: string;
  summary?: CtrfReport['results']['summary'];
  /** Each validator's status on this cluster. */
  validators?: Record<string, Status>;
  message?: string;
}

export type FleetStatus = 'passed' | 'failed' | 'cancelled';

export function fleetStatus(outcomes: ClusterOutcome[], cancelled: boolean): FleetStatus {
  if (cancelled) return 'cancelled';
  return outcomes.every((o) => o.status === 'passed') ? 'passed' : 'failed';
}

/** Validators (rows) by clusters (columns): a status, or absent where the cluster did not run it. */
export interface FleetMatrix {
  clusters: string[];
  validators: string[];
  statuses: Record<string, Record<string, Status | undefined>>;
}

export function fleetMatrix(validators: string[], outcomes: ClusterOutcome[]): FleetMatrix {
  const clusters = outcomes.map((o) => o.cluster);
  const statuses = Object.fromEntries(validators.map((v) => [v, Object.fromEntries(outcomes.map((o) => [o.cluster, o.validators?.[v]]))]));
  return { clusters, validators, statuses };
}

const ctrfStatus = (s: ClusterRunStatus): Status => (s === 'passed' ? 'passed' : s === 'failed' ? 'failed' : 'other');

/** The fleet's CTRF report: a test per cluster (its run's outcome), the matrix and the runs in `extra`. */
export function fleetReport(fleet: Fleet, outcomes: ClusterOutcome[], meta: { reportId: string; start: number; stop: number; toolVersion: string; runId: string; status: FleetStatus }): CtrfReport {
  const tests = outcomes.map((o) => ({
    name: o.cluster,
    status: ctrfStatus(o.status),
    duration: o.summary ? o.summary.stop - o.summary.start : 0,
    ...(o.message ? { message: o.message } : {}),
    rawStatus: o.status,
  }));
  const count = (s: Status) => tests.filter((t) => t.status === s).length;
  const { tool, ...head } = reportHead(meta);
  return {
    ...head,
    results: {
      tool,
      summary: { tests: tests.length, passed: count('passed'), failed: count('failed'), skipped: 0, pending: 0, other: count('other'), start: meta.start, stop: meta.stop },
      tests,
      extra: {
        runId: meta.runId,
        suite: fleet.suite.name,
        status: meta.status,
        labels: fleet.labels,
        fleet: { clusters: outcomes, matrix: fleetMatrix(fleet.suite.validators.map((v) => v.name), outcomes) },
      },
    },
  };
}

/** The matrix as text: a row per validator, a column per cluster. */
export function matrixLines(m: FleetMatrix): string[] {
  const width = Math.max('validator'.length, ...m.validators.map((v) => v.length));
  const cols = m.clusters.map((c) => Math.max(c.length, 'unavailable'.length));
  const row = (first: string, cells: string[]) => [first.padEnd(width), ...cells.map((c, i) => c.padEnd(cols[i]))].join('  ').trimEnd();
  return [row('validator', m.clusters), ...m.validators.map((v) => row(v, m.clusters.map((c) => m.statuses[v][c] ?? '-')))];
}
