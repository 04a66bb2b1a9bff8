/** Emulated time: every delay is multiplied by the time scale, and each owner can cancel all of its timers. */
export class TimerGroup {
  private readonly timers = new Set<NodeJS.Timeout>();
  private cancelled = false;

  constructor(private readonly scale: () => number) {}

  after(emulatedMs: number, fn: () => void): void {
    if (this.cancelled || !Number.isFinite(emulatedMs)) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.cancelled) fn();
    }, Math.max(0, Math.round(emulatedMs * this.scale())));
    this.timers.add(timer);
  }

  cancel(): void {
    this.cancelled = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }
}

/** Kubernetes timestamps: RFC 3339 to the second. */
export function nowSeconds(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}
