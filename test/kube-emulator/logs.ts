import type { IncomingMessage, ServerResponse } from 'node:http';
import { queryFlag } from './http.ts';
import { badRequest, notFound } from './status.ts';
import type { ObjectStore } from './store.ts';
import type { KubeObject } from './types.ts';
import { isRecord } from './types.ts';

/** One line of a container's log with its kubelet timestamp (nanoseconds since the epoch). */
export interface StoredLogLine {
  ns: bigint;
  text: string;
}

interface ContainerLog {
  lines: StoredLogLine[];
  ended: boolean;
  followers: Set<(line: StoredLogLine | null) => void>;
}

let lastNs = 0n;

/** Strictly increasing wall-clock nanoseconds, so a resumed follow can tell every line apart by time. */
function nextTimestamp(): bigint {
  const now = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  lastNs = now > lastNs ? now : lastNs + 1n;
  return lastNs;
}

/** Go's RFC3339Nano, as the kubelet writes it: nine fractional digits with trailing zeros trimmed. */
export function formatTimestamp(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac ? `.${frac}` : ''}Z`;
}

/** Parses RFC 3339 with up to nine fractional digits into nanoseconds. */
export function parseTimestamp(text: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** Container logs by pod, container and restart, as the kubelet keeps them. */
export class LogStore {
  private readonly logs = new Map<string, ContainerLog>();

  private key(namespace: string, pod: string, container: string, restart: number): string {
    return `${namespace}/${pod}/${container}#${restart}`;
  }

  private entry(namespace: string, pod: string, container: string, restart: number): ContainerLog {
    const key = this.key(namespace, pod, container, restart);
    let log = this.logs.get(key);
    if (!log) {
      log = { lines: [], ended: false, followers: new Set() };
      this.logs.set(key, log);
    }
    return log;
  }

  append(namespace: string, pod: string, container: string, text: string, restart = 0): StoredLogLine {
    const log = this.entry(namespace, pod, container, restart);
    const line = { ns: nextTimestamp(), text };
    log.lines.push(line);
    for (const follower of log.followers) follower(line);
    return line;
  }

  /** The container stopped: followers' streams end. */
  end(namespace: string, pod: string, container: string, restart = 0): void {
    const log = this.entry(namespace, pod, container, restart);
    log.ended = true;
    for (const follower of log.followers) follower(null);
    log.followers.clear();
  }

  lines(namespace: string, pod: string, container: string, restart = 0): StoredLogLine[] {
    return [...this.entry(namespace, pod, container, restart).lines];
  }

  removePod(namespace: string, pod: string): void {
    for (const [key, log] of this.logs) {
      if (key.startsWith(`${namespace}/${pod}/`)) {
        for (const follower of log.followers) follower(null);
        this.logs.delete(key);
      }
    }
  }

  follow(namespace: string, pod: string, container: string, restart: number, onLine: (line: StoredLogLine | null) => void): () => void {
    const log = this.entry(namespace, pod, container, restart);
    if (log.ended) {
      onLine(null);
      return () => undefined;
    }
    log.followers.add(onLine);
    return () => log.followers.delete(onLine);
  }
}

type ContainerStatus = Record<string, unknown> & { name: string; restartCount?: number; state?: Record<string, Record<string, unknown>> };

function containerNames(pod: KubeObject): string[] {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  return ((spec.containers as Array<{ name: string }> | undefined) ?? []).map((c) => c.name);
}

function statusOf(pod: KubeObject, container: string): ContainerStatus | undefined {
  const status = isRecord(pod.status) ? pod.status : {};
  return ((status.containerStatuses as ContainerStatus[] | undefined) ?? []).find((s) => s.name === container);
}

/** `GET .../pods/NAME/log`: the kubelet's rules for which lines, how they look and when a follow ends. */
export function serveLog(store: ObjectStore, logs: LogStore, namespace: string, name: string, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
  const pod = store.tryGet('pods', namespace, name);
  if (!pod) throw notFound('pods', '', name);
  const names = containerNames(pod);
  const container = query.get('container') || (names.length === 1 ? names[0] : '');
  if (!container) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const spec = isRecord(pod.spec) ? pod.spec : {};
  if (!spec.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const status = statusOf(pod, container);
  const restarts = status?.restartCount ?? 0;
  const previous = queryFlag(query, 'previous');
  if (previous && restarts === 0) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  const waiting = status?.state?.waiting;
  if (!previous && (!status || (waiting && restarts === 0))) {
    const reason = (waiting?.reason as string | undefined) ?? 'ContainerCreating';
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${reason}`);
  }
  const restart = previous ? restarts - 1 : restarts;

  const timestamps = queryFlag(query, 'timestamps');
  const sinceTimeText = query.get('sinceTime');
  let since: bigint | undefined;
  if (sinceTimeText) {
    since = parseTimestamp(sinceTimeText);
    if (since === undefined) throw badRequest(`sinceTime: invalid value "${sinceTimeText}": expected RFC 3339`);
  } else if (query.get('sinceSeconds')) {
    since = BigInt(Date.now() - Number(query.get('sinceSeconds')) * 1000) * 1_000_000n;
  }
  const tail = query.get('tailLines') === null ? undefined : Number(query.get('tailLines'));
  let budget = query.get('limitBytes') === null ? Infinity : Number(query.get('limitBytes'));

  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  const render = (line: StoredLogLine) => `${timestamps ? `${formatTimestamp(line.ns)} ` : ''}${line.text}\n`;
  const emit = (line: StoredLogLine): boolean => {
    if (since !== undefined && line.ns < since) return true;
    let text = render(line);
    if (Buffer.byteLength(text) > budget) text = Buffer.from(text).subarray(0, budget).toString('utf8');
    budget -= Buffer.byteLength(text);
    res.write(text);
    return budget > 0;
  };

  let existing = logs.lines(namespace, name, container, restart);
  if (since !== undefined) existing = existing.filter((l) => l.ns >= since!);
  if (tail !== undefined && tail >= 0) existing = tail === 0 ? [] : existing.slice(-tail);
  for (const line of existing) {
    if (!emit(line)) {
      res.end();
      return;
    }
  }
  if (!queryFlag(query, 'follow') || previous) {
    res.end();
    return;
  }
  let done = false;
  let unfollow: () => void = () => undefined;
  const stop = () => {
    done = true;
    unfollow();
  };
  unfollow = logs.follow(namespace, name, container, restart, (line) => {
    if (done) return;
    if (line === null || !emit(line)) {
      stop();
      if (!res.writableEnded) res.end();
    }
  });
  if (done) unfollow();
  req.on('close', stop);
  res.on('close', stop);
}
