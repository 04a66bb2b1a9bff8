/**
 * A generic RPC layer over any transport that carries `{ method, args }` and answers an RpcResponse.
 * Both sides are generated from a method table; no channel names are written by hand.
 */
import type { z } from 'zod';
import { exceedsDepth, MAX_DOCUMENT_DEPTH } from '../pipeline/jsonDepth.ts';
import { ApiError } from './errors.ts';
import type { ApiErrorPayload, ApiIssue } from './errors.ts';
import type { MethodTable } from './methods.ts';

export interface RpcRequest {
  method: string;
  args: unknown[];
}

/** Failures travel as data (never as thrown transport errors) so their code and issues survive. */
export type RpcResponse = { ok: true; value: unknown } | { ok: false; error: ApiErrorPayload };

export interface RpcTransport {
  invoke(request: RpcRequest): Promise<RpcResponse>;
}

export interface RpcServer {
  /** Accepts anything off the wire; never throws. */
  dispatch(request: unknown): Promise<RpcResponse>;
}

/** Arguments wrap a document two levels down (`[{ document }]`). */
const MAX_ARGUMENT_DEPTH = MAX_DOCUMENT_DEPTH + 2;

type AsyncMethods<T> = { [K in keyof T]: (...args: never[]) => Promise<unknown> };

/** JSON cannot carry `undefined` in an array: drop trailing ones so optional arguments stay optional. */
function trimTrailingUndefined(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end -= 1;
  return args.slice(0, end);
}

export function createRpcClient<T extends AsyncMethods<T>>(methods: MethodTable<T>, transport: RpcTransport): T {
  const client: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of Object.keys(methods)) {
    client[method] = async (...args: unknown[]) => {
      let response: RpcResponse;
      try {
        response = await transport.invoke({ method, args: trimTrailingUndefined(args) });
      } catch (error) {
        throw new ApiError('transport', `${method}: the back end could not be reached (${describe(error)})`);
      }
      if (response.ok) return response.value;
      throw ApiError.fromPayload(response.error);
    };
  }
  return Object.freeze(client) as unknown as T;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatIssues(method: string, issues: readonly z.core.$ZodIssue[]): { message: string; issues: ApiIssue[] } {
  const list = issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const parts = list.map((issue) => {
    const [index, ...rest] = issue.path.split('.');
    const where = issue.path === '' ? 'arguments' : `argument ${Number(index) + 1}${rest.length ? ` at ${rest.join('.')}` : ''}`;
    return `${where}: ${issue.message}`;
  });
  return { message: `${method}: invalid arguments: ${parts.join('; ')}`, issues: list };
}

function isRequest(value: unknown): value is RpcRequest {
  if (typeof value !== 'object' || value === null) return false;
  const request = value as Record<string, unknown>;
  return typeof request.method === 'string' && Array.isArray(request.args);
}

export function createRpcServer<T extends AsyncMethods<T>>(
  impl: T,
  validators: { readonly [K in keyof T]: z.ZodType },
): RpcServer {
  const table = validators as Record<string, z.ZodType>;
  const methods = impl as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  return {
    async dispatch(request) {
      if (!isRequest(request)) {
        return { ok: false, error: { code: 'bad-request', message: 'a request is { method: string, args: array }' } };
      }
      const { method, args } = request;
      if (!Object.prototype.hasOwnProperty.call(table, method) || typeof methods[method] !== 'function') {
        return { ok: false, error: { code: 'unknown-method', message: `unknown method "${method.slice(0, 100)}"` } };
      }
      // Checked before the schemas, which walk values recursively (a 5,000-deep list would overflow the stack).
      if (exceedsDepth(args, MAX_ARGUMENT_DEPTH)) {
        return { ok: false, error: { code: 'invalid-arguments', message: `${method}: invalid arguments: nested more than ${MAX_ARGUMENT_DEPTH} levels deep (a pipeline nests at most ${MAX_DOCUMENT_DEPTH})` } };
      }
      const parsed = table[method].safeParse(args);
      if (!parsed.success) {
        const { message, issues } = formatIssues(method, parsed.error.issues);
        return { ok: false, error: { code: 'invalid-arguments', message, issues } };
      }
      try {
        const value = await methods[method].apply(impl, parsed.data as unknown[]);
        return { ok: true, value: value === undefined ? null : value };
      } catch (error) {
        if (error instanceof ApiError) return { ok: false, error: error.toPayload() };
        return { ok: false, error: { code: 'failed', message: `${method}: ${describe(error)}` } };
      }
    },
  };
}
