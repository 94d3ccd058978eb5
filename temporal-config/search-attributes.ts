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
