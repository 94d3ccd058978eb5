// Verdict's typed search attributes: registered on the dev server by the sandbox and on a real
// cluster by the setup command, upserted by the run workflow, filtered on by `verdict list`.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const searchAttributes = {
  VerdictSuite: 'Keyword',
  VerdictStatus: 'Keyword',
  VerdictCluster: 'Keyword',
  VerdictFailedCount: 'Int',
  VerdictValidatorCount: 'Int',
} as const;

export type SearchAttributeName = keyof typeof searchAttributes;

/** Typed keys for upserting and querying. */
export const searchAttributeKeys = {
  suite: defineSearchAttributeKey('VerdictSuite', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('VerdictStatus', SearchAttributeType.KEYWORD),
  cluster: defineSearchAttributeKey('VerdictCluster', SearchAttributeType.KEYWORD),
  failedCount: defineSearchAttributeKey('VerdictFailedCount', SearchAttributeType.INT),
  validatorCount: defineSearchAttributeKey('VerdictValidatorCount', SearchAttributeType.INT),
};

export interface SearchAttributePlan {
  /** Verdict's attributes the namespace lacks, to register. */
  missing: Partial<Record<SearchAttributeName, (typeof searchAttributes)[SearchAttributeName]>>;
  /** Names the namespace already uses with another type: registering cannot fix them. */
  conflicts: string[];
}

/** What registering Verdict's search attributes on a namespace that has `existing` (name -> type) must do. */
export function planSearchAttributes(existing: Record<string, string>): SearchAttributePlan {
  const plan: SearchAttributePlan = { missing: {}, conflicts: [] };
  for (const [name, type] of Object.entries(searchAttributes) as [SearchAttributeName, (typeof searchAttributes)[SearchAttributeName]][]) {
    const has = existing[name];
    if (has === undefined) plan.missing[name] = type;
    else if (has.toLowerCase() !== type.toLowerCase()) plan.conflicts.push(`${name} is registered as ${has}, Verdict needs ${type}`);
  }
  return plan;
}
