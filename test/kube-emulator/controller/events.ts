import { randomBytes } from 'node:crypto';
import type { ObjectStore } from '../store.ts';
import type { KubeObject } from '../types.ts';
import { nowSeconds } from './timers.ts';

const EVENTS = { resource: 'events', group: '' };

export interface EventSource {
  component: string;
  host?: string;
}

/**
 * core/v1 Events as the kubelet, scheduler and Argo controller record them; a repeat of the same
 * reason and message on the same object bumps `count` and `lastTimestamp`, as the event recorder does.
 */
export function recordEvent(store: ObjectStore, involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, fieldPath?: string): void {
  const namespace = involved.metadata.namespace ?? 'default';
  const existing = store.list('events', namespace, (e) => (e.involvedObject as Record<string, unknown>)?.uid === involved.metadata.uid && e.reason === reason && e.message === message)[0];
  const now = nowSeconds();
  if (existing) {
    store.mutate(EVENTS, namespace, existing.metadata.name, (e) => {
      e.count = Number(e.count ?? 1) + 1;
      e.lastTimestamp = now;
    });
    return;
  }
  const event: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${involved.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
    involvedObject: {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name: involved.metadata.name,
      namespace,
      uid: involved.metadata.uid,
      resourceVersion: involved.metadata.resourceVersion,
      ...(fieldPath ? { fieldPath } : {}),
    },
    reason,
    message,
    source,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type,
    eventTime: null,
    reportingComponent: source.component,
    reportingInstance: source.host ?? '',
  };
  store.create(EVENTS, event);
}
