// How Verdict marks a namespace it created (see docs/decisions/namespaces.md). A namespace that
// existed before is never marked: Verdict does not write to it at all.
export const createdByAnnotation = 'verdict.dev/created-by-verdict';
/** When a run last ensured a namespace Verdict created: the sweeper's grace period counts from it. */
export const ensuredAtAnnotation = 'verdict.dev/ensured-at';

export const isVerdictCreated = (annotations: Record<string, string> | undefined) => annotations?.[createdByAnnotation] === 'true';
