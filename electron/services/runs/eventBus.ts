/** Run events fan out to every subscriber (the renderer bridge, the CLI, tests). A throwing listener is isolated. */
import type { RunEventListener } from '../../../shared/api/runs.ts';
import type { RunEvent } from '../../../shared/runs/types.ts';

export class RunEventBus {
  private readonly listeners = new Set<RunEventListener>();

  /** Returns the unsubscribe function. */
  subscribe(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: RunEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('run event listener failed:', error);
      }
    }
  }
}
