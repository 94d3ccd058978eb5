// Temporal's failure converter with the failure's message and stack trace moved into an encoded
// payload, so the payload codec encrypts them like every other payload (a raw history then shows
// only "Encoded failure"). Named by path (DataConverter.failureConverterPath): the worker's
// workflow bundle includes it, so it must stay free of Node built-ins.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
