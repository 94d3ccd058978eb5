// Verdict's typed search attributes: registered on the dev server by the sandbox and on a real
// cluster by the setup command, upserted by the run workflow, filtered on by `verdict list`.
export const searchAttributes = {
  VerdictSuite: 'Keyword',
  VerdictStatus: 'Keyword',
  VerdictCluster: 'Keyword',
  VerdictFailedCount: 'Int',
  VerdictValidatorCount: 'Int',
} as const;

export type SearchAttributeName = keyof typeof searchAttributes;
