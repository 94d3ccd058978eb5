// Errors that mean "fix your input or configuration": the CLI exits 2 and starts nothing.
export class UsageError extends Error {}
