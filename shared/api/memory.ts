/** An in-memory transport pair (JSON on the wire, as over HTTP) for tests and tools without Electron. */
import type { ApiEvent, ApiEventListener, ApiEventSource } from './events.ts';
import type { RpcRequest, RpcResponse, RpcServer, RpcTransport } from './rpc.ts';

export interface MemoryTransport extends RpcTransport, ApiEventSource {
  /** Requests seen, for assertions. */
  readonly sent: RpcRequest[];
}

function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function createMemoryTransport(server: RpcServer, events?: ApiEventSource): MemoryTransport {
  const sent: RpcRequest[] = [];
  return {
    sent,
    async invoke(request) {
      const wire = roundTrip(request);
      sent.push(wire);
      const response: RpcResponse = await server.dispatch(wire);
      return roundTrip(response);
    },
    subscribe(listener: ApiEventListener) {
      if (!events) return () => {};
      return events.subscribe((event: ApiEvent) => listener(roundTrip(event)));
    },
  };
}
