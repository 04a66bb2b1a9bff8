/** The back end's side: a dispatcher that validates every call against the schemas, then runs it. */
import type { PipewrightApi } from './contract.ts';
import { createRpcServer } from './rpc.ts';
import type { RpcServer } from './rpc.ts';
import { apiValidators } from './validators.ts';
import type { ValidatorTable } from './validators.ts';

export function createApiServer(
  impl: PipewrightApi,
  validators: ValidatorTable<PipewrightApi> = apiValidators,
): RpcServer {
  return createRpcServer<PipewrightApi>(impl, validators);
}
