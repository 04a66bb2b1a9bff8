/** Run events → the canvas's run view (phase, progress, loss sparkline per node). */
import type { RunEvent } from '../../shared/runs/types.ts';
import { appStore } from '../store/index.ts';

export function applyRunEvent(event: RunEvent): void {
  const state = appStore.getState();
  switch (event.kind) {
    case 'node-phase':
      state.setNodeRunView(event.nodeId, { phase: event.phase, ...(event.phase === 'succeeded' || event.phase === 'cached' ? { progress: 1 } : {}) });
      break;
    case 'progress':
      if (event.progress.total > 0) state.setNodeRunView(event.nodeId, { progress: event.progress.current / event.progress.total });
      break;
    case 'metrics': {
      const loss = event.records.map((r) => r.values.loss).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (loss.length > 0) state.appendLoss(event.nodeId, loss);
      break;
    }
    default:
      break;
  }
}
