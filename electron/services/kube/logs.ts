/**
 * Follows one container's log with timestamps and survives disconnects: it resumes from the last
 * timestamp seen (asking from that second, since some servers truncate sinceTime) and drops the
 * lines it already delivered, so nothing is lost and nothing is repeated.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { Backoff, sleep } from './backoff.ts';
import { ClusterError } from './errors.ts';
import { openKubeStream } from './request.ts';

export interface TimedLine {
  ts: string;
  text: string;
}

export interface FollowLogOptions {
  namespace: string;
  pod: string;
  container: string;
  /** Resume point from an earlier session: lines at or before it that were delivered are skipped. */
  since?: { ts: string; delivered: string[] };
  onLines(lines: TimedLine[]): void;
  /** Asked when a stream ends: 'more' reconnects; 'done' reads the tail once more and stops. */
  afterStreamEnd(): Promise<'more' | 'done'>;
  onConnection?(state: 'connected' | 'disconnected', message?: string): void;
  /** Called once the follow has ended by itself (not when stopped). */
  onEnd?(): void;
  backoff?: Backoff;
  /** Silence after which the stream is reopened (ms, default 120000): a connection can die without a word. */
  idleMs?: number;
}

const LOG_IDLE_MS = 120_000;

const TS_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ?(.*)$/;

/** Compares RFC3339 timestamps with sub-second digits of any length. */
export function compareTimestamps(a: string, b: string): number {
  const norm = (t: string) => {
    const m = /^(.*?:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(t);
    if (!m) return [Date.parse(t), 0] as const;
    return [Date.parse(m[1] + m[3]), Number(((m[2] ?? '') + '000000000').slice(0, 9))] as const;
  };
  const [sa, na] = norm(a);
  const [sb, nb] = norm(b);
  return sa !== sb ? sa - sb : na - nb;
}

export function followContainerLog(kc: KubeConfig, opts: FollowLogOptions): () => void {
  const abort = new AbortController();
  const backoff = opts.backoff ?? new Backoff({ initialMs: 200, maxMs: 5000 });
  let lastTs = opts.since?.ts;
  // Every text delivered at exactly lastTs (a multiset): the server repeats that second on resume.
  let atLast: string[] = [...(opts.since?.delivered ?? [])];

  const readOnce = async (follow: boolean) => {
    const sinceTime = lastTs ? lastTs.replace(/\.\d+/, '') : undefined;
    const res = await openKubeStream(kc, {
      path: `/api/v1/namespaces/${encodeURIComponent(opts.namespace)}/pods/${encodeURIComponent(opts.pod)}/log`,
      query: { container: opts.container, follow, timestamps: true, sinceTime },
      headers: { Accept: '*/*' },
      signal: abort.signal,
      // A step may be quiet for long; reconnecting after silence costs one request and loses nothing.
      timeoutMs: opts.idleMs ?? LOG_IDLE_MS,
    });
    if (res.statusCode !== 200) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      throw ClusterError.fromResponse(res.statusCode ?? 0, Buffer.concat(chunks).toString(), `read the log of pod ${opts.pod}`, res.headers);
    }
    opts.onConnection?.('connected');
    backoff.reset();
    const resumeTs = lastTs;
    const skip = [...atLast];
    const accept = (raw: string): TimedLine | undefined => {
      const m = TS_LINE.exec(raw);
      if (!m) return undefined;
      const [, ts, text] = m;
      if (resumeTs) {
        const c = compareTimestamps(ts, resumeTs);
        if (c < 0) return undefined;
        if (c === 0) {
          const i = skip.indexOf(text);
          if (i >= 0) {
            skip.splice(i, 1);
            return undefined;
          }
        }
      }
      return { ts, text };
    };
    let pending = '';
    const take = (parts: string[]) => {
      const batch: TimedLine[] = [];
      for (const p of parts) {
        const line = accept(p.replace(/\r$/, ''));
        if (line) batch.push(line);
      }
      deliver(batch);
    };
    for await (const chunk of res) {
      const parts = (pending + (chunk as Buffer).toString('utf8')).split('\n');
      pending = parts.pop() ?? '';
      take(parts);
    }
    if (pending) take([pending]);
  };

  const deliver = (batch: TimedLine[]) => {
    if (batch.length === 0) return;
    for (const line of batch) {
      if (line.ts === lastTs) atLast.push(line.text);
      else {
        lastTs = line.ts;
        atLast = [line.text];
      }
    }
    opts.onLines(batch);
  };

  void (async () => {
    let final = false;
    while (!abort.signal.aborted) {
      let hinted = 0;
      try {
        await readOnce(!final);
        if (final) break;
        if ((await opts.afterStreamEnd()) === 'done') final = true;
        continue;
      } catch (err) {
        if (abort.signal.aborted) break;
        opts.onConnection?.('disconnected', `log disconnected — retrying (${(err as Error).message})`);
        if (err instanceof ClusterError && err.kind === 'not-found') {
          if ((await opts.afterStreamEnd()) === 'done') break;
        }
        hinted = err instanceof ClusterError && err.retryAfter ? err.retryAfter * 1000 : 0;
      }
      await sleep(Math.max(hinted, backoff.next()), abort.signal);
    }
    if (!abort.signal.aborted) opts.onEnd?.();
  })();

  return () => abort.abort();
}
