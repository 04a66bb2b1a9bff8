import type { ServerResponse } from 'node:http';
import { sendJson } from '../http.ts';

/** KFP answers errors as grpc-gateway does: `{error, code, message, details}` with a google.rpc code. */
export class KfpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly grpcCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const kfpNotFound = (message: string) => new KfpError(404, 5, message);
export const kfpAlreadyExists = (message: string) => new KfpError(409, 6, message);
export const kfpInvalid = (message: string) => new KfpError(400, 3, message);
export const kfpFailedPrecondition = (message: string) => new KfpError(400, 9, message);

export function sendKfpError(res: ServerResponse, err: unknown): void {
  const e = err instanceof KfpError ? err : new KfpError(500, 13, `Internal error: ${(err as Error)?.message ?? String(err)}`);
  sendJson(res, e.httpStatus, { error: e.message, code: e.grpcCode, message: e.message, details: [{ '@type': 'type.googleapis.com/google.rpc.Status', code: e.grpcCode, message: e.message }] });
}
