/** Exponential backoff with full jitter, for reconnects and retried requests. */
import { ClusterError, isRetryable } from './errors.ts';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  constructor(private readonly opts: BackoffOptions = {}) {}

  /** Delay before the next attempt: uniform in [0, min(max, initial * factor^attempt)]. */
  next(): number {
    const { initialMs = 250, maxMs = 15_000, factor = 2, random = Math.random } = this.opts;
    const ceiling = Math.min(maxMs, initialMs * factor ** this.attempt);
    this.attempt += 1;
    return Math.max(initialMs / 4, Math.round(random() * ceiling));
  }

  reset(): void {
    this.attempt = 0;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** Runs `fn`, retrying retryable failures (429, 5xx, network) up to `attempts` times. */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 5, opts: BackoffOptions = {}, signal?: AbortSignal): Promise<T> {
  const backoff = new Backoff(opts);
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts && err instanceof ClusterError && err.retryable) throw err.givenUp(attempts);
      if (i >= attempts || !isRetryable(err) || signal?.aborted) throw err;
      const hinted = err instanceof ClusterError && err.retryAfter ? err.retryAfter * 1000 : 0;
      await sleep(Math.max(hinted, backoff.next()), signal);
    }
  }
}
