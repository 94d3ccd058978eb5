/** The run input is invalid: the message lists every problem by field path. Nothing was started. */
export class InvalidRunInput extends Error {}
