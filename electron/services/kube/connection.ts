/**
 * One connection state for a run from many streams (watches, log follows): "disconnected — retrying"
 * once any stream has been down longer than a grace period, "connected" when every one is back.
 * Short drops that heal within the grace period are not worth a flash on the run.
 */
export type ConnectionState = 'connected' | 'disconnected';

/** The reason inside a stream's own "disconnected — retrying (reason)" message. */
function reasonOf(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const m = /^(?:log )?disconnected — retrying \((.*)\)$/s.exec(message);
  return m ? m[1] : message;
}

export class ConnectionReporter {
  private readonly down = new Map<string, string | undefined>();
  private reported = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly report: (state: ConnectionState, message?: string) => void,
    private readonly graceMs = 1000,
  ) {}

  /** A stream (`source`) says it is up or down; `message` says why it went down. */
  set(source: string, state: ConnectionState, message?: string): void {
    if (state === 'disconnected') {
      this.down.set(source, reasonOf(message));
      if (!this.reported && !this.timer) {
        this.timer = setTimeout(() => this.reportDown(), this.graceMs);
        this.timer.unref?.();
      }
      return;
    }
    if (!this.down.delete(source) || this.down.size > 0) return;
    this.clearTimer();
    if (this.reported) {
      this.reported = false;
      this.report('connected');
    }
  }

  /** Forget a stream that has ended for good. */
  forget(source: string): void {
    this.set(source, 'connected');
  }

  get disconnected(): boolean {
    return this.reported;
  }

  stop(): void {
    this.clearTimer();
  }

  private reportDown(): void {
    this.timer = undefined;
    if (this.down.size === 0 || this.reported) return;
    this.reported = true;
    const why = [...this.down.values()].find(Boolean);
    this.report('disconnected', `disconnected — retrying${why ? ` (${why})` : ''}`);
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
