/**
 * How a failure should be handled (DESIGN.md "Failure is normal"):
 * transient → retry with backoff; recoverable → retry with an adjusted budget; permanent → fail fast.
 */
export type ErrorClass = 'transient' | 'recoverable' | 'permanent';

export const ERROR_CLASSES: ReadonlyArray<ErrorClass> = ['transient', 'recoverable', 'permanent'];
