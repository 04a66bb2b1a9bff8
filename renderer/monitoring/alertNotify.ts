/**
 * Browser mode: a system notification (the Notification API) for each alert as it arrives, so a user in
 * another tab hears about a diverging loss. The desktop app's main process notifies instead.
 */
import { alertNotificationText } from '../../shared/alerts/text.ts';
import type { RunEvent } from '../../shared/runs/types.ts';
import i18next from 'i18next';
import { appStore } from '../store/index.ts';

type NotificationApi = Pick<typeof Notification, 'permission' | 'requestPermission'> & (new (title: string, options?: NotificationOptions) => Notification);

function notificationApi(): NotificationApi | undefined {
  return typeof Notification === 'undefined' ? undefined : Notification;
}

/** At a run's start (a user gesture): ask once whether alerts may notify. */
export function requestAlertPermission(): void {
  const api = notificationApi();
  if (!api || appStore.getState().session?.mode !== 'browser' || api.permission !== 'default') return;
  void api.requestPermission().catch(() => undefined);
}

export function notifyAlert(event: RunEvent): void {
  const api = notificationApi();
  if (event.kind !== 'alert' || !api || api.permission !== 'granted') return;
  const state = appStore.getState();
  if (state.session?.mode !== 'browser') return;
  const run = state.runs[event.runId];
  const label = state.doc.name === run?.pipelineName ? state.doc.nodes.find((n) => n.id === event.nodeId)?.label : undefined;
  const { title, body } = alertNotificationText(event.alert, run?.pipelineName ?? '', i18next.language === 'ko' ? 'ko' : 'en', label);
  const notification = new api(title, { body, tag: `${event.runId}/${event.alert.id}` });
  notification.onclick = () => window.focus();
}
