import type { ServerResponse } from 'node:http';
import { sendJson } from '../http.ts';

/**
 * KFP's errors as grpc-gateway v2 writes them: a google.rpc.Status `{code, message, details}`. A KFP
 * UserError (backend/src/common/util/error.go) puts its wrapped internal text in `message` and its
 * external text in one `details` entry; errors grpc-gateway makes itself (a body it cannot decode)
 * have no details.
 */
export class KfpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly grpcCode: number,
    message: string,
    /** The UserError's external message, sent as `details[0].message`. */
    readonly external?: string,
  ) {
    super(message);
  }
}

/** util.NewResourceNotFoundError(type, id) wrapped by `wraps` (outermost first), as the servers wrap it. */
export function kfpNotFoundOf(type: string, id: string, ...wraps: string[]): KfpError {
  const external = `${type} ${id} not found`;
  return new KfpError(404, 5, [...wraps, `ResourceNotFoundError: ${external}`].join(': '), external);
}

/** util.NewInvalidInputError(external) wrapped by `wraps`. */
export function kfpInvalidInput(external: string, ...wraps: string[]): KfpError {
  return new KfpError(400, 3, [...wraps, `Invalid input error: ${external}`].join(': '), external);
}

/** util.NewAlreadyExistError(external) wrapped by `wraps`. */
export function kfpAlreadyExistsOf(external: string, ...wraps: string[]): KfpError {
  return new KfpError(409, 6, [...wraps, `Already exist error: ${external}`].join(': '), external);
}

/** util.NewInternalServerError(cause, internal) wrapped by `wraps`: HTTP 500, external text "Internal Server Error". */
export function kfpInternalOf(internal: string, cause: string, ...wraps: string[]): KfpError {
  return new KfpError(500, 13, [...wraps, `InternalServerError: ${internal}`, cause].join(': '), 'Internal Server Error');
}

export const kfpNotFound = (message: string) => new KfpError(404, 5, message);
export const kfpAlreadyExists = (message: string) => new KfpError(409, 6, message);
export const kfpInvalid = (message: string) => new KfpError(400, 3, message);
export const kfpFailedPrecondition = (message: string) => new KfpError(400, 9, message);

export function sendKfpError(res: ServerResponse, err: unknown): void {
  const e = err instanceof KfpError ? err : new KfpError(500, 13, `Internal error: ${(err as Error)?.message ?? String(err)}`);
  const details = e.external !== undefined ? [{ '@type': 'type.googleapis.com/google.rpc.Status', code: e.grpcCode, message: e.external }] : undefined;
  sendJson(res, e.httpStatus, { code: e.grpcCode, message: e.message, ...(details ? { details } : {}) });
}

/**
 * The upload endpoints are plain HTTP handlers (server/pipeline_upload_server.go writeErrorToResponse):
 * `{error_message, error_details}` from a v1beta1 Error, or `http.Error`'s plain text.
 */
export class KfpUploadError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly plainText = false,
  ) {
    super(message);
  }
}

export function sendUploadError(res: ServerResponse, err: KfpUploadError): void {
  if (res.headersSent || res.destroyed) return;
  if (err.plainText) {
    const text = `${err.message}\n`;
    res.writeHead(err.httpStatus, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  // error_details is `%+v` of the error: its text (the real server adds a Go stack trace after it).
  sendJson(res, err.httpStatus, { error_message: err.message, error_details: err.message });
}
