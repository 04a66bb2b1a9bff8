/**
 * A bounded window onto one node's log: fixed-size pages addressed by line seq, fetched on demand
 * through `readLog`, the pages farthest from what is on screen dropped first. Live lines fill the pages
 * already held; anything else is read from disk when it scrolls into view. Memory stays at
 * `maxPages × pageSize` lines whatever the log's length.
 */
import type { LogPage } from '../../shared/api/runs.ts';
import type { LogLine } from '../../shared/runs/types.ts';

export type FetchLogPage = (afterSeq: number, limit: number) => Promise<LogPage>;

/** A held row: the line, `null` where the size cap dropped it, `undefined` while not loaded. */
export type LogRow = LogLine | null | undefined;

interface Page {
  index: number;
  rows: LogRow[];
  /** Every seq up to this one is held (or known dropped). */
  filled: number;
  fetchedAt: number;
  usedAt: number;
}

export interface LogWindowOptions {
  pageSize?: number;
  maxPages?: number;
  /** A page still short of the known end is read again at most this often (ms). */
  refetchMs?: number;
  /** Live lines kept aside for pages whose read is under way. */
  liveBuffer?: number;
  now?: () => number;
}

export class LogWindow {
  readonly pageSize: number;
  readonly maxPages: number;
  private readonly refetchMs: number;
  private readonly liveBufferSize: number;
  private readonly now: () => number;
  private readonly pages = new Map<number, Page>();
  private readonly inFlight = new Set<number>();
  private recentLive: LogLine[] = [];
  private listeners = new Set<() => void>();
  private focus: [number, number] = [1, 1];
  private tick = 0;
  private closed = false;
  total = 0;
  version = 0;
  /** The last read error, shown by the view; cleared by the next good read. */
  error: string | null = null;

  constructor(
    private readonly fetchPage: FetchLogPage,
    options: LogWindowOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 1000;
    this.maxPages = Math.max(2, options.maxPages ?? 24);
    this.refetchMs = options.refetchMs ?? 400;
    this.liveBufferSize = options.liveBuffer ?? 4000;
    this.now = options.now ?? Date.now;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.pages.clear();
  }

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  private pageOf(seq: number): number {
    return Math.floor((seq - 1) / this.pageSize);
  }

  row(seq: number): LogRow {
    const page = this.pages.get(this.pageOf(seq));
    return page?.rows[(seq - 1) % this.pageSize];
  }

  /** Lines held in memory right now (for the memory bound's tests and the benchmark). */
  heldLines(): number {
    let n = 0;
    for (const page of this.pages.values()) n += page.rows.length;
    return n;
  }

  heldPages(): number[] {
    return [...this.pages.keys()].sort((a, b) => a - b);
  }

  /** The log is known to reach `lastSeq` (from a page read or the run's events). */
  setTotal(lastSeq: number): void {
    if (lastSeq > this.total) {
      this.total = lastSeq;
      this.changed();
    }
  }

  /** Lines from a live `log` event: held pages take them, the total grows. */
  appendLive(lines: readonly LogLine[]): void {
    if (lines.length === 0 || this.closed) return;
    this.recentLive.push(...lines);
    if (this.recentLive.length > this.liveBufferSize * 2) this.recentLive = this.recentLive.slice(-this.liveBufferSize);
    for (const line of lines) {
      const page = this.pages.get(this.pageOf(line.seq));
      if (page) this.place(page, line);
      else if (line.seq === this.total + 1 && (this.total === 0 || this.pages.get(this.pageOf(this.total))?.filled === this.total)) {
        // The log grew into a new page right after one already held (or from nothing): start it here.
        const fresh = this.newPage(this.pageOf(line.seq));
        this.place(fresh, line);
        this.pages.set(fresh.index, fresh);
      }
      if (line.seq > this.total) this.total = line.seq;
    }
    this.evict();
    this.changed();
  }

  private newPage(index: number): Page {
    return { index, rows: new Array<LogRow>(this.pageSize).fill(undefined), filled: index * this.pageSize, fetchedAt: this.now(), usedAt: ++this.tick };
  }

  private place(page: Page, line: LogLine): void {
    const offset = line.seq - 1 - page.index * this.pageSize;
    if (offset < 0 || offset >= this.pageSize) return;
    page.rows[offset] = line;
    this.advance(page);
  }

  private advance(page: Page): void {
    const end = (page.index + 1) * this.pageSize;
    while (page.filled < end && page.rows[page.filled - page.index * this.pageSize] !== undefined) page.filled++;
  }

  /** Whether the page must be read (again) to show rows up to `total`. */
  private needsRead(index: number): boolean {
    if (this.inFlight.has(index)) return false;
    const page = this.pages.get(index);
    if (!page) return true;
    const want = Math.min((index + 1) * this.pageSize, this.total);
    return page.filled < want && this.now() - page.fetchedAt >= this.refetchMs;
  }

  /** First read (the head page): learns how long the log is. */
  async probe(): Promise<void> {
    if (!this.pages.has(0) && !this.inFlight.has(0)) await this.read(0);
  }

  /** Rows `first..last` (seqs) are on screen: read what is missing, one page around them too. */
  async ensure(first: number, last: number): Promise<void> {
    if (this.closed) return;
    this.focus = [Math.max(1, first), Math.max(first, last)];
    const top = Math.min(this.total, Math.max(1, last));
    if (top < 1) return;
    const from = Math.max(0, this.pageOf(Math.max(1, first)) - 1);
    const to = Math.min(this.pageOf(top) + 1, this.pageOf(Math.max(1, this.total)));
    for (let i = from; i <= to; i++) {
      const page = this.pages.get(i);
      if (page) page.usedAt = ++this.tick;
    }
    const wanted: number[] = [];
    for (let i = from; i <= to; i++) if (this.needsRead(i)) wanted.push(i);
    await Promise.all(wanted.map((i) => this.read(i)));
  }

  private async read(index: number): Promise<void> {
    this.inFlight.add(index);
    const existing = this.pages.get(index);
    const after = existing ? existing.filled : index * this.pageSize;
    const end = (index + 1) * this.pageSize;
    try {
      const result = await this.fetchPage(after, end - after);
      if (this.closed) return;
      this.error = null;
      const page = this.pages.get(index) ?? this.newPage(index);
      page.fetchedAt = this.now();
      page.usedAt = ++this.tick;
      const firstSeq = result.lines[0]?.seq;
      // Seqs before the first line returned were dropped by the history's size cap.
      if (firstSeq !== undefined && firstSeq > after + 1) {
        for (let seq = after + 1; seq < Math.min(firstSeq, end + 1); seq++) {
          if (page.rows[seq - 1 - index * this.pageSize] === undefined) page.rows[seq - 1 - index * this.pageSize] = null;
        }
      }
      for (const line of result.lines) this.place(page, line);
      for (const line of this.recentLive) if (this.pageOf(line.seq) === index) this.place(page, line);
      this.advance(page);
      this.pages.set(index, page);
      if (result.lastSeq > this.total) this.total = result.lastSeq;
      this.evict();
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.inFlight.delete(index);
    }
    if (!this.closed) this.changed();
  }

  /** Drops the pages farthest from the focus until at most maxPages are held. */
  private evict(): void {
    if (this.pages.size <= this.maxPages) return;
    const [first, last] = this.focus;
    const lo = this.pageOf(first);
    const hi = this.pageOf(last);
    const distance = (i: number) => (i < lo ? lo - i : i > hi ? i - hi : 0);
    const order = [...this.pages.values()].sort((a, b) => distance(b.index) - distance(a.index) || a.usedAt - b.usedAt);
    for (const page of order) {
      if (this.pages.size <= this.maxPages) break;
      if (distance(page.index) === 0) continue;
      this.pages.delete(page.index);
    }
  }
}
