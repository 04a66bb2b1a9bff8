/** Errors that cross the renderer <-> back end boundary keep a machine-readable code. */

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

export interface ApiErrorPayload {
  code: ApiErrorCode;
  message: string;
  issues?: ApiIssue[];
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly issues: ApiIssue[];

  constructor(code: ApiErrorCode, message: string, issues: ApiIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = issues;
  }

  toPayload(): ApiErrorPayload {
    return this.issues.length > 0
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }

  static fromPayload(payload: ApiErrorPayload): ApiError {
    return new ApiError(payload.code, payload.message, payload.issues ?? []);
  }
}

export function notAvailable(what: string): ApiError {
  return new ApiError('not-available', `${what} is not available here`);
}
