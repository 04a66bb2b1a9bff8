import type { ServerResponse } from 'node:http';
import type { ResourceDef } from './resources.ts';
import { apiVersionOf } from './resources.ts';
import type { Matcher } from './selectors.ts';
import { readField } from './selectors.ts';
import { ApiError, badRequest } from './status.ts';
import type { ObjectStore } from './store.ts';
import type { IncludeObject } from './tables.ts';
import { toTable } from './tables.ts';
import type { KubeObject, StoredEvent, WatchEventType } from './types.ts';

export interface WatchRequest {
  def: ResourceDef;
  namespace?: string;
  labels: Matcher;
  fields: Matcher;
  resourceVersion: string | null;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
  /** Set when the client asked for Table output (`kubectl get -w`). */
  table?: IncludeObject;
}

export interface WatchSettings {
  bookmarkIntervalMs: number;
  /** Consumed by the next watch: it gets a 410 ERROR event whatever its resourceVersion. */
  takeForced410: () => boolean;
}

/** Open watches, so a fault can end them all at once. */
export class WatchRegistry {
  private readonly open = new Set<() => void>();

  add(close: () => void): () => void {
    this.open.add(close);
    return () => this.open.delete(close);
  }

  get count(): number {
    return this.open.size;
  }

  closeAll(): void {
    for (const close of [...this.open]) close();
  }
}

export function matches(req: WatchRequest, object: KubeObject): boolean {
  if (req.namespace && object.metadata.namespace !== req.namespace) return false;
  return req.labels((k) => object.metadata.labels?.[k]) && req.fields((path) => readField(object, path));
}

/** A stored change as this watcher sees it: selector changes turn MODIFIED into ADDED or DELETED. */
function viewOf(req: WatchRequest, event: StoredEvent): WatchEventType | undefined {
  const now = matches(req, event.object);
  if (event.type !== 'MODIFIED' || !event.previous) return now ? event.type : undefined;
  const before = matches(req, event.previous);
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}

export function serveWatch(store: ObjectStore, registry: WatchRegistry, settings: WatchSettings, req: WatchRequest, res: ServerResponse): void {
  const rvText = req.resourceVersion;
  const fromNow = rvText === null || rvText === '' || rvText === '0';
  const since = fromNow ? store.currentRevision : Number(rvText);
  if (!Number.isInteger(since)) throw badRequest(`invalid resource version "${rvText}"`);

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  const write = (type: WatchEventType, object: unknown) => {
    if (res.writableEnded || res.destroyed) return;
    const shown = req.table && type !== 'ERROR' && type !== 'BOOKMARK' ? toTable(req.def.resource, [object as KubeObject], String(store.currentRevision), req.table) : object;
    res.write(`${JSON.stringify({ type, object: shown })}\n`);
  };
  const bookmark = (annotations?: Record<string, string>) =>
    write('BOOKMARK', {
      kind: req.def.kind,
      apiVersion: apiVersionOf(req.def),
      metadata: { resourceVersion: String(store.currentRevision), ...(annotations ? { annotations } : {}) },
    });

  let replay: StoredEvent[];
  try {
    if (settings.takeForced410()) throw new ApiError(410, 'Expired', `too old resource version: ${since} (${store.currentRevision})`);
    replay = fromNow ? [] : store.eventsSince(req.def.resource, since);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    write('ERROR', err.toStatus());
    res.end();
    return;
  }

  if (fromNow || req.sendInitialEvents) {
    for (const object of store.list(req.def.resource, req.namespace)) if (matches(req, object)) write('ADDED', object);
    if (req.sendInitialEvents && req.allowBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  }
  for (const event of replay) {
    const type = viewOf(req, event);
    if (type) write(type, event.object);
  }

  const unsubscribe = store.subscribe((event) => {
    if (event.resource !== req.def.resource) return;
    const type = viewOf(req, event);
    if (type) write(type, event.object);
  });
  const timers: NodeJS.Timeout[] = [];
  if (req.allowBookmarks) timers.push(setInterval(() => bookmark(), settings.bookmarkIntervalMs));
  const finish = () => {
    unsubscribe();
    unregister();
    for (const t of timers) clearInterval(t);
    if (!res.writableEnded) res.end();
  };
  if (req.timeoutSeconds && req.timeoutSeconds > 0) timers.push(setTimeout(finish, req.timeoutSeconds * 1000));
  const unregister = registry.add(() => {
    finish();
    res.destroy();
  });
  res.on('close', finish);
}
