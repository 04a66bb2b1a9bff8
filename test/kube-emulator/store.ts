import { randomUUID } from 'node:crypto';
import { alreadyExists, conflict, gone, notFound } from './status.ts';
import type { KubeObject, StoredEvent } from './types.ts';
import { clone } from './types.ts';
import { jsonEqual } from './equal.ts';

export interface ResourceKey {
  resource: string;
  group: string;
}

type Listener = (event: StoredEvent) => void;

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The API server's `generateName` suffix: five characters from the same alphabet. */
export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += NAME_ALPHABET[Math.floor(Math.random() * NAME_ALPHABET.length)];
  return out;
}

function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/**
 * Objects by resource plus one ordered history of changes (etcd's role): every write takes the next
 * resourceVersion; watches replay history after a version, and versions older than the retained
 * window (or a compaction) are `410 Gone`.
 */
export class ObjectStore {
  private revision = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: StoredEvent[] = [];
  private compactedAt = 0;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly historyLimit = 10_000) {}

  get currentRevision(): number {
    return this.revision;
  }

  /** Oldest resourceVersion a watch may start from. */
  get oldestWatchable(): number {
    return this.compactedAt;
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let map = this.objects.get(resource);
    if (!map) {
      map = new Map();
      this.objects.set(resource, map);
    }
    return map;
  }

  /** `object` and `previous` are stored copies, never changed once written (the map replaces them), so history shares them. */
  private record(type: StoredEvent['type'], resource: string, object: KubeObject, previous?: KubeObject): void {
    const event: StoredEvent = { rv: this.revision, type, resource, object };
    if (previous) event.previous = previous;
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedAt = dropped[dropped.length - 1].rv;
    }
    for (const listener of this.listeners) listener(event);
  }

  /** Forgets all history up to now: any watch from an older resourceVersion gets 410. */
  compact(): void {
    this.history = [];
    this.compactedAt = this.revision;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after `since`, for one resource; throws 410 when `since` is older than the retained window. */
  eventsSince(resource: string, since: number): StoredEvent[] {
    if (since < this.compactedAt) throw gone(`too old resource version: ${since} (${this.compactedAt})`);
    return this.history.filter((e) => e.rv > since && e.resource === resource);
  }

  get(key: ResourceKey, namespace: string | undefined, name: string): KubeObject {
    const found = this.bucket(key.resource).get(keyOf(namespace, name));
    if (!found) throw notFound(key.resource, key.group, name);
    return clone(found);
  }

  tryGet(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.bucket(resource).get(keyOf(namespace, name));
    return found ? clone(found) : undefined;
  }

  /** The stored object itself, to read without a copy: never change it. */
  peek(resource: string, namespace: string | undefined, name: string): Readonly<KubeObject> | undefined {
    return this.bucket(resource).get(keyOf(namespace, name));
  }

  /** Copies of the objects (in one namespace, and passing `filter`, when given) sorted by namespace and name. */
  list(resource: string, namespace?: string, filter?: (o: Readonly<KubeObject>) => boolean): KubeObject[] {
    const all = [...this.bucket(resource).values()];
    const chosen = all.filter((o) => (!namespace || o.metadata.namespace === namespace) && (!filter || filter(o)));
    return chosen
      .sort((a, b) => keyOf(a.metadata.namespace, a.metadata.name).localeCompare(keyOf(b.metadata.namespace, b.metadata.name)))
      .map((o) => clone(o));
  }

  create(key: ResourceKey, object: KubeObject): KubeObject {
    const meta = object.metadata;
    const map = this.bucket(key.resource);
    if (!meta.name && meta.generateName) {
      do meta.name = meta.generateName + randomSuffix();
      while (map.has(keyOf(meta.namespace, meta.name)));
    }
    if (map.has(keyOf(meta.namespace, meta.name))) throw alreadyExists(key.resource, key.group, meta.name);
    this.revision++;
    meta.uid = randomUUID();
    meta.resourceVersion = String(this.revision);
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    meta.generation = 1;
    const stored = clone(object);
    map.set(keyOf(meta.namespace, meta.name), stored);
    this.record('ADDED', key.resource, stored);
    return clone(object);
  }

  /** Replaces an object; a stale `metadata.resourceVersion` in `object` is a 409 Conflict, as in the API server. */
  update(key: ResourceKey, object: KubeObject, options: { checkVersion?: boolean } = {}): KubeObject {
    const meta = object.metadata;
    const map = this.bucket(key.resource);
    const existing = map.get(keyOf(meta.namespace, meta.name));
    if (!existing) throw notFound(key.resource, key.group, meta.name);
    if (options.checkVersion && meta.resourceVersion && meta.resourceVersion !== existing.metadata.resourceVersion) {
      throw conflict(key.resource, key.group, meta.name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    this.revision++;
    meta.uid = existing.metadata.uid;
    meta.creationTimestamp = existing.metadata.creationTimestamp;
    meta.resourceVersion = String(this.revision);
    const specChanged = !jsonEqual(existing.spec, object.spec);
    meta.generation = (existing.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    const stored = clone(object);
    map.set(keyOf(meta.namespace, meta.name), stored);
    this.record('MODIFIED', key.resource, stored, existing);
    return clone(object);
  }

  /** Reads, changes and writes one object in a single step (what the controller and kubelet do). */
  mutate(key: ResourceKey, namespace: string | undefined, name: string, change: (o: KubeObject) => void): KubeObject | undefined {
    const stored = this.peek(key.resource, namespace, name);
    if (!stored) return undefined;
    const current = clone(stored);
    change(current);
    if (jsonEqual(current, stored)) return current;
    return this.update(key, current);
  }

  delete(key: ResourceKey, namespace: string | undefined, name: string): KubeObject {
    const map = this.bucket(key.resource);
    const existing = map.get(keyOf(namespace, name));
    if (!existing) throw notFound(key.resource, key.group, name);
    map.delete(keyOf(namespace, name));
    this.revision++;
    const deleted = clone(existing);
    deleted.metadata.resourceVersion = String(this.revision);
    this.record('DELETED', key.resource, deleted);
    return deleted;
  }
}
