/** The back end's event hub: services emit, transports (IPC, WebSocket) subscribe. */
import type { ApiEvent, ApiEventListener, ApiEventSource } from '../../shared/api/events.ts';

export interface EventHub extends ApiEventSource {
  emit(event: ApiEvent): void;
  /** Called with each new subscriber, to send what it must know at once (e.g. waiting recovery drafts). */
  onSubscribe(greet: (listener: ApiEventListener) => void): void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<ApiEventListener>();
  const greeters: ((listener: ApiEventListener) => void)[] = [];
  function deliver(listener: ApiEventListener, event: ApiEvent): void {
    try {
      listener(event);
    } catch {
      // One broken subscriber (a closed socket) must not stop delivery to the others.
    }
  }
  return {
    emit(event) {
      for (const listener of [...listeners]) deliver(listener, event);
    },
    subscribe(listener) {
      listeners.add(listener);
      for (const greet of greeters) greet((event) => deliver(listener, event));
      return () => {
        listeners.delete(listener);
      };
    },
    onSubscribe(greet) {
      greeters.push(greet);
    },
  };
}
