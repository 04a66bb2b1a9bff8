/** Run events from the back end go to the runs module, which folds them for the canvas, the panel and the list. */
import type { RunEvent } from '../../shared/runs/types.ts';
import { notifyAlert } from '../monitoring/alertNotify.ts';
import { ingestRunEvent } from '../runs/runSync.ts';

export function applyRunEvent(event: RunEvent): void {
  ingestRunEvent(event);
  if (event.kind === 'alert') notifyAlert(event);
}
