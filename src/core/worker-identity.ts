// What a worker says about itself in its Temporal identity, which every poller and every activity
// it starts carries: where it runs, Verdict's version and the policy it enforces (its preset and a
// hash of its rules, so workers of one cluster that disagree stand out). `verdict clusters` reads
// it back from the task queues' pollers. Short, since history events repeat it. Pure.
import { shortHash } from './hash';
import type { Policy } from './policy';

/** The policy as one short word: its preset and a hash of every rule (the report records the rules themselves). */
export const policyId = ({ preset, ...rules }: Policy): string => `${preset}#${shortHash(JSON.stringify(Object.entries(rules).sort(([a], [b]) => a.localeCompare(b))), 8)}`;

export const workerIdentity = (where: string, version: string, policy: Policy): string => `${where} verdict/${version} policy/${policyId(policy)}`;

export interface WorkerIdentity {
  /** pid@host, as Temporal names workers by default. */
  where: string;
  version?: string;
  policy?: string;
}

/** The parts of an identity; one that is not a Verdict worker's (a client, an older worker) is all `where`. */
export function parseWorkerIdentity(identity: string): WorkerIdentity {
  const m = /^(.*) verdict\/(\S+) policy\/(\S+)$/.exec(identity);
  return m ? { where: m[1], version: m[2], policy: m[3] } : { where: identity };
}
