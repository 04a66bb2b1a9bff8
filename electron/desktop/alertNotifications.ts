/**
 * Desktop notifications for Pipewright's alerts, shown by the main process (Electron's Notification), in
 * the user's language: they reach the user with the window hidden or minimised. Clicking one brings the
 * window forward. The renderer shows its banner either way; in browser mode it notifies by itself.
 */
import type { NotificationConstructorOptions } from 'electron';
import { alertNotificationText } from '../../shared/alerts/text.ts';
import type { AlertLang } from '../../shared/alerts/text.ts';
import type { RunEvent, RunSummary } from '../../shared/runs/types.ts';

export interface NotificationLike {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
}

export interface AlertNotifierOptions {
  /** `new Notification(options)` (Electron's), or a stand-in in tests. */
  create(options: NotificationConstructorOptions): NotificationLike;
  isSupported(): boolean;
  language(): Promise<AlertLang>;
  /** The run the alert belongs to (for the pipeline's name and the node's label). */
  getRun(runId: string): Promise<Pick<RunSummary, 'pipelineName'> & { document?: { nodes: { id: string; label?: string }[] } }>;
  focus(): void;
}

/** A run-event listener that notifies for every `alert` event; failures are logged, never thrown. */
export function alertNotifier(options: AlertNotifierOptions): (event: RunEvent) => void {
  return (event) => {
    if (event.kind !== 'alert' || !options.isSupported()) return;
    void (async () => {
      const [lang, run] = await Promise.all([options.language(), options.getRun(event.runId)]);
      const label = run.document?.nodes.find((n) => n.id === event.nodeId)?.label;
      const { title, body } = alertNotificationText(event.alert, run.pipelineName, lang, label);
      const notification = options.create({ title, body, urgency: event.alert.action === 'cancel' ? 'critical' : 'normal' });
      notification.on('click', () => options.focus());
      notification.show();
    })().catch((error: unknown) => console.error('alert notification failed:', error));
  };
}

/** `ko` when the settings say Korean, or say `system` and the OS speaks Korean. */
export function alertLanguage(setting: string, systemLocale: string): AlertLang {
  if (setting === 'ko' || setting === 'en') return setting;
  return systemLocale.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}
