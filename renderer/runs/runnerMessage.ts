/**
 * The local runner records a few fixed English texts as a run's or step's message (see
 * electron/services/local/scheduler.ts): shown in the UI's language. Other messages (a step's own
 * error line, a cluster's reason) are shown as they are.
 */
import type { TFunction } from 'i18next';

const RUNNER_TEXTS: Record<string, string> = {
  Cancelled: 'runs.panel.cancelled',
  'Pipewright was closed while this run was running': 'runs.panel.closed',
};

export function runnerMessage(message: string, t: TFunction): string {
  const key = RUNNER_TEXTS[message];
  return key ? t(key) : message;
}
