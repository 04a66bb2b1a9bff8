/** Errors that cross the renderer <-> back end boundary keep a machine-readable code. */
import type { KubeconfigProgramsReason } from './clusters.ts';

export type ApiErrorCode =
  /** The arguments failed validation at the boundary. */
  | 'invalid-arguments'
  /** No such method in the contract. */
  | 'unknown-method'
  /** The method exists but this back end cannot serve it (e.g. native dialogs in browser mode). */
  | 'not-available'
  /** The request itself was malformed (not `{ method, args }`). */
  | 'bad-request'
  /** The transport failed (server gone, connection refused). */
  | 'transport'
  /** The method ran and failed; the message says why. */
  | 'failed';

export interface ApiIssue {
  /** Dotted path into the arguments, e.g. `0.nodes.3.id`. */
  path: string;
  message: string;
}

/** What a refusal is about, as data, so the UI can word it in the user's language (the message stays English for the CLI and logs). */
export type ApiErrorReason = KubeconfigProgramsReason;

export interface ApiErrorPayload {
  code: ApiErrorCode;
  message: string;
  issues?: ApiIssue[];
  reason?: ApiErrorReason;
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly issues: ApiIssue[];
  readonly reason?: ApiErrorReason;

  constructor(code: ApiErrorCode, message: string, issues: ApiIssue[] = [], reason?: ApiErrorReason) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = issues;
    if (reason) this.reason = reason;
  }

  toPayload(): ApiErrorPayload {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues.length > 0 ? { issues: this.issues } : {}),
      ...(this.reason ? { reason: this.reason } : {}),
    };
  }

  static fromPayload(payload: ApiErrorPayload): ApiError {
    return new ApiError(payload.code, payload.message, payload.issues ?? [], payload.reason);
  }
}

export function notAvailable(what: string): ApiError {
  return new ApiError('not-available', `${what} is not available here`);
}
