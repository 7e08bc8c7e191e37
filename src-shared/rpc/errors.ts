import type { z } from 'zod';
import { MAX_ISSUE_CHARS, MAX_REPORTED_ISSUES } from './limits';

/** Why a call failed; stable codes a client can switch on. */
export type RpcErrorCode =
  | 'invalid_message'
  | 'unknown_method'
  | 'invalid_input'
  | 'invalid_output'
  | 'unauthorized'
  | 'not_found'
  | 'conflict'
  | 'failed_precondition'
  | 'internal'
  | 'disconnected';

/** A serialisable error: what went wrong, in words a user can act on, plus the fields at fault. */
export interface RpcErrorData {
  readonly code: RpcErrorCode;
  readonly message: string;
  readonly issues?: ReadonlyArray<{ readonly path: string; readonly message: string }>;
}

/** The error every rpc failure becomes, on both sides of the wire. */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly issues?: RpcErrorData['issues'],
  ) {
    super(message);
  }

  /** The wire form. */
  toData(): RpcErrorData {
    return this.issues === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, issues: this.issues };
  }

  /** Rebuilds an error received over the wire. */
  static fromData(data: RpcErrorData): RpcError {
    return new RpcError(data.code, data.message, data.issues);
  }
}

/**
 * Turns a zod error into an rpc error whose message names every field at fault (the first
 * MAX_REPORTED_ISSUES of them, each cut to MAX_ISSUE_CHARS: a message never echoes a huge input).
 */
export function validationError(method: string, what: 'input' | 'output', error: z.ZodError): RpcError {
  const issues = error.issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => ({
    path: clip(issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.')),
    message: clip(issue.message),
  }));
  const more = error.issues.length - issues.length;
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') + (more > 0 ? `; and ${more} more` : '');
  return new RpcError(
    what === 'input' ? 'invalid_input' : 'invalid_output',
    `Invalid ${what} for ${method}: ${summary}`,
    issues,
  );
}

function clip(text: string): string {
  return text.length <= MAX_ISSUE_CHARS ? text : `${text.slice(0, MAX_ISSUE_CHARS)}…`;
}
