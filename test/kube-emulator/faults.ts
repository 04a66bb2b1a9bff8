import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './http.ts';
import { ApiError } from './status.ts';

export interface FaultMatch {
  /** Only requests whose path (without query) matches; default every request. */
  path?: RegExp;
}

export interface FailOptions extends FaultMatch {
  /** 500, 502, 503 (default), 504 or 429 (with Retry-After: 1). */
  code?: number;
}

export interface RestartOptions {
  /** Forget all history, so every resourceVersion handed out before the restart gets 410 Gone. */
  compact?: boolean;
  /** How long the port refuses connections before the server listens again (default 0). */
  downMs?: number;
}

export interface FaultStats {
  /** Connections destroyed by `dropConnections` (each call, each interval tick, each restart). */
  droppedConnections: number;
  failedRequests: number;
  expiredWatches: number;
  restarts: number;
}

/** What the fault injector needs from the server it breaks. */
export interface FaultTargets {
  destroyConnections(): number;
  restart(downMs: number): Promise<void>;
  compact(): void;
}

function failure(code: number): ApiError {
  switch (code) {
    case 429:
      return new ApiError(429, 'TooManyRequests', 'the server has received too many requests and has asked us to try again later', { retryAfterSeconds: 1 });
    case 500:
      return new ApiError(500, 'InternalError', 'Internal error occurred: injected fault');
    case 504:
      return new ApiError(504, 'Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request');
    default:
      return new ApiError(code, 'ServiceUnavailable', 'the server is currently unable to handle the request');
  }
}

/** Test-controlled misbehaviour: dropped connections, 5xx/429 answers, slow answers, 410 watches, restarts. */
export class Faults {
  readonly stats: FaultStats = { droppedConnections: 0, failedRequests: 0, expiredWatches: 0, restarts: 0 };
  private failCount = 0;
  private failRatioValue = 0;
  private failOptions: FailOptions = {};
  private delayMs = 0;
  private delayMatch: FaultMatch = {};
  private expireWatches = 0;
  private dropTimer: NodeJS.Timeout | undefined;

  constructor(private readonly targets: FaultTargets) {}

  /** Destroys every open connection now (watches and log follows die mid-stream). */
  dropConnections(): void {
    this.stats.droppedConnections += this.targets.destroyConnections();
  }

  /** Drops every open connection every `ms` until `clear()` (or the returned stop function). */
  dropConnectionsEvery(ms: number): () => void {
    if (this.dropTimer) clearInterval(this.dropTimer);
    const timer = setInterval(() => this.dropConnections(), ms);
    this.dropTimer = timer;
    return () => {
      clearInterval(timer);
      if (this.dropTimer === timer) this.dropTimer = undefined;
    };
  }

  /** The next `count` matching requests get a 5xx (or 429) Status instead of an answer. */
  failNext(count: number, options: FailOptions = {}): void {
    this.failCount = count;
    this.failOptions = options;
  }

  /** A share (0..1) of matching requests fail until `clear()`. */
  failRatio(ratio: number, options: FailOptions = {}): void {
    this.failRatioValue = ratio;
    this.failOptions = options;
  }

  /** Every matching response waits `ms` first (0 turns it off). */
  slow(ms: number, match: FaultMatch = {}): void {
    this.delayMs = ms;
    this.delayMatch = match;
  }

  /** The next `count` watches get an ERROR event with a 410 Expired Status, whatever resourceVersion they ask for. */
  expireNextWatch(count = 1): void {
    this.expireWatches += count;
  }

  /** Forget history now: watches from any earlier resourceVersion get 410. */
  compact(): void {
    this.targets.compact();
  }

  /** Like an API server restart: every connection drops (all watches lost), optionally history is compacted. */
  async restart(options: RestartOptions = {}): Promise<void> {
    this.stats.restarts++;
    if (options.compact) this.targets.compact();
    await this.targets.restart(options.downMs ?? 0);
  }

  /** Turns every fault off. */
  clear(): void {
    this.failCount = 0;
    this.failRatioValue = 0;
    this.delayMs = 0;
    this.expireWatches = 0;
    if (this.dropTimer) clearInterval(this.dropTimer);
    this.dropTimer = undefined;
  }

  /** @internal the watch code asks whether to expire this watch. */
  takeForced410(): boolean {
    if (this.expireWatches <= 0) return false;
    this.expireWatches--;
    this.stats.expiredWatches++;
    return true;
  }

  /** @internal runs before every request; true when the fault answered it. */
  async intercept(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (this.delayMs > 0 && (!this.delayMatch.path || this.delayMatch.path.test(path))) {
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    }
    const matchesFail = !this.failOptions.path || this.failOptions.path.test(path);
    if (!matchesFail) return false;
    let fail = false;
    if (this.failCount > 0) {
      this.failCount--;
      fail = true;
    } else if (this.failRatioValue > 0 && Math.random() < this.failRatioValue) fail = true;
    if (!fail) return false;
    this.stats.failedRequests++;
    req.resume();
    sendError(res, failure(this.failOptions.code ?? 503));
    return true;
  }
}
