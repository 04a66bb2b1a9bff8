/**
 * Every line of a log that contains the search text, found by reading the log once in pages (then from
 * live lines): "match n of m", and next/previous without reading again. Memory: 4 bytes per match,
 * at most `cap` matches (then "m+" and the rest are not listed).
 */
import type { LogLine } from '../../shared/runs/types.ts';
import { lineMatches } from './logSearch.ts';
import { LogScan } from './logScan.ts';
import type { FetchLogPage } from './logWindow.ts';

export class LogMatches {
  private seqs = new Uint32Array(256);
  count = 0;
  /** Matches in lines not searched (hidden), counted so the view can say where they are. */
  skipped = 0;
  /** Every seq up to this one has been looked at. */
  scanned = 0;
  capped = false;

  constructor(
    readonly query: string,
    /** Lines not searched (hidden protocol lines). */
    private readonly skip: (text: string) => boolean,
    private readonly cap = 1_000_000,
  ) {}

  private look(line: LogLine): void {
    this.scanned = line.seq;
    if (!lineMatches(line.text, this.query)) return;
    if (this.skip(line.text)) {
      this.skipped += 1;
      return;
    }
    if (this.count >= this.cap) {
      this.capped = true;
      return;
    }
    if (this.count === this.seqs.length) {
      const next = new Uint32Array(this.seqs.length * 2);
      next.set(this.seqs);
      this.seqs = next;
    }
    this.seqs[this.count++] = line.seq;
  }

  /** Lines in order; anything not right after `scanned` is left for the scan. */
  add(lines: readonly LogLine[]): boolean {
    const before = this.count;
    for (const line of lines) if (line.seq === this.scanned + 1) this.look(line);
    return this.count !== before;
  }

  private readonly scanner = new LogScan();

  /** Reads from `scanned` to the log's end (`totalNow` read again after each page); one scan at a time. */
  scan(fetch: FetchLogPage, totalNow: number | (() => number), aborted: () => boolean, pageSize = 5000): Promise<void> {
    return this.scanner.run(fetch, () => this.scanned, totalNow, aborted, pageSize, (page, _after, total) => {
      if (page.lines.length === 0) this.scanned = total;
      else for (const line of page.lines) if (line.seq > this.scanned) this.look(line);
    });
  }

  seqAt(index: number): number {
    return this.seqs[index]!;
  }

  /** 0-based position of the match at `seq`, or -1. */
  indexOf(seq: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.seqs[mid]!;
      if (at === seq) return mid;
      if (at < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The match after (or before) `fromSeq`, wrapping around; null when there is none. */
  next(fromSeq: number, direction: 1 | -1): number | null {
    if (this.count === 0) return null;
    let lo = 0;
    let hi = this.count;
    // First index whose seq is greater than fromSeq.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.seqs[mid]! <= fromSeq) lo = mid + 1;
      else hi = mid;
    }
    if (direction === 1) return this.seqs[lo < this.count ? lo : 0]!;
    const before = this.indexOf(fromSeq) >= 0 ? lo - 2 : lo - 1;
    return this.seqs[before >= 0 ? before : this.count - 1]!;
  }
}
