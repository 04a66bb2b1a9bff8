/**
 * A watch that does not give up: list, then watch from the list's resourceVersion with bookmarks;
 * on a dropped connection re-watch from the last resourceVersion seen; on 410 Gone re-list.
 * Reconnects back off with jitter. Returns a stop function.
 */
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import { Backoff, sleep } from './backoff.ts';
import { ClusterError } from './errors.ts';
import { kubeJson, openKubeStream } from './request.ts';

export interface KubeObject {
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface WatchHandlers<T extends KubeObject> {
  /** Every object of a (re-)list, then each ADDED / MODIFIED; `sync` is true for list results. */
  onUpsert(obj: T, sync: boolean): void;
  onDelete(obj: T): void;
  /** After each (re-)list, the names present, so callers can drop objects deleted while disconnected. */
  onSynced?(names: Set<string>): void;
  onConnection?(state: 'connected' | 'disconnected', message?: string): void;
}

export interface WatchOptions {
  /** Collection path, e.g. `/api/v1/namespaces/ns/pods`. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  backoff?: Backoff;
  /** Server-side timeout of each watch request, seconds (default 60): a silently dead connection is noticed within it. */
  timeoutSeconds?: number;
}

export function watchCollection<T extends KubeObject>(kc: KubeConfig, opts: WatchOptions, handlers: WatchHandlers<T>): () => void {
  const abort = new AbortController();
  const backoff = opts.backoff ?? new Backoff();
  const selectors = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
  let resourceVersion: string | undefined;
  let connected = false;
  const setConnected = (state: boolean, message?: string) => {
    if (state === connected) return;
    connected = state;
    handlers.onConnection?.(state ? 'connected' : 'disconnected', message);
  };

  const list = async () => {
    const res = await kubeJson<{ metadata?: { resourceVersion?: string }; items?: T[] }>(
      kc, { path: opts.path, query: selectors, signal: abort.signal }, `list ${opts.path}`);
    const names = new Set<string>();
    for (const item of res.items ?? []) {
      names.add(item.metadata?.name ?? '');
      handlers.onUpsert(item, true);
    }
    handlers.onSynced?.(names);
    resourceVersion = res.metadata?.resourceVersion;
  };

  /** One watch connection; resolves when it ends. Throws ClusterError 'gone' when a re-list is needed. */
  const watchOnce = async () => {
    const res = await openKubeStream(kc, {
      path: opts.path,
      query: { ...selectors, watch: true, allowWatchBookmarks: true, resourceVersion, timeoutSeconds: opts.timeoutSeconds ?? 60 },
      signal: abort.signal,
      // Bookmarks keep a live watch talking; silence past the server's own timeout means the connection died unseen.
      timeoutMs: ((opts.timeoutSeconds ?? 60) + 30) * 1000,
    });
    if (res.statusCode !== 200) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      throw ClusterError.fromResponse(res.statusCode ?? 0, Buffer.concat(chunks).toString(), `watch ${opts.path}`, res.headers);
    }
    setConnected(true);
    backoff.reset();
    let gone = false;
    const lines = createInterface({ input: res, crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      let event: { type: string; object: T & { code?: number } };
      try {
        event = JSON.parse(line);
      } catch {
        continue;
      }
      const rv = event.object?.metadata?.resourceVersion;
      if (event.type === 'ERROR') {
        if (event.object.code === 410) gone = true;
        break;
      }
      if (rv) resourceVersion = rv;
      if (event.type === 'ADDED' || event.type === 'MODIFIED') handlers.onUpsert(event.object, false);
      else if (event.type === 'DELETED') handlers.onDelete(event.object);
    }
    res.destroy();
    if (gone) throw new ClusterError('gone', 'watch expired', true, 410);
  };

  void (async () => {
    let needList = true;
    while (!abort.signal.aborted) {
      let hinted = 0;
      try {
        if (needList) {
          await list();
          needList = false;
          setConnected(true);
        }
        await watchOnce();
      } catch (err) {
        if (abort.signal.aborted) break;
        if (err instanceof ClusterError && err.kind === 'gone') {
          needList = true;
          continue;
        }
        setConnected(false, `disconnected — retrying (${(err as Error).message})`);
        hinted = err instanceof ClusterError && err.retryAfter ? err.retryAfter * 1000 : 0;
        if (err instanceof ClusterError && !err.retryable && err.kind !== 'not-found') {
          // Credentials or permissions will not fix themselves quickly: retry slowly.
          await sleep(10_000, abort.signal);
        }
      }
      if (!abort.signal.aborted) await sleep(Math.max(hinted, backoff.next()), abort.signal);
    }
  })();

  return () => abort.abort();
}
