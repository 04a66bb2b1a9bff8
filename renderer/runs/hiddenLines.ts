/**
 * Which lines of a log are hidden (the PIPEWRIGHT_* protocol lines), learnt by reading the log once from
 * the start in pages (then from live lines), so the view can show only the others: row ↔ seq in
 * O(blocks). Memory: one bit per line plus one count per 1,024 lines (a million-line log: ~130 kB).
 */
import type { LogLine } from '../../shared/runs/types.ts';
import { LogScan } from './logScan.ts';
import type { FetchLogPage } from './logWindow.ts';

const BLOCK = 1024;

export class HiddenLines {
  private bits = new Uint32Array(1024);
  /** Visible lines per block of BLOCK seqs (classified ones only). */
  private blockVisible = new Uint32Array(16);
  /** Every seq up to this one has been classified. */
  known = 0;
  hidden = 0;
  private readonly scanner = new LogScan();

  constructor(private readonly isHidden: (text: string) => boolean) {}

  private grow(seq: number): void {
    if (seq >> 5 >= this.bits.length) {
      const next = new Uint32Array(Math.max(this.bits.length * 2, (seq >> 5) + 1));
      next.set(this.bits);
      this.bits = next;
    }
    const block = Math.floor((seq - 1) / BLOCK);
    if (block >= this.blockVisible.length) {
      const next = new Uint32Array(Math.max(this.blockVisible.length * 2, block + 1));
      next.set(this.blockVisible);
      this.blockVisible = next;
    }
  }

  isHiddenSeq(seq: number): boolean {
    return seq <= this.known && (this.bits[seq >> 5]! & (1 << (seq & 31))) !== 0;
  }

  /** The next seq, in order; `text` undefined: a line the history's size cap dropped (shown, as a gap). */
  private classify(seq: number, text: string | undefined): void {
    this.grow(seq);
    if (text !== undefined && this.isHidden(text)) {
      this.bits[seq >> 5]! |= 1 << (seq & 31);
      this.hidden += 1;
    } else this.blockVisible[Math.floor((seq - 1) / BLOCK)]! += 1;
    this.known = seq;
  }

  /** Lines in order (a page read, or live lines); anything not right after `known` is left for the scan. */
  add(lines: readonly LogLine[]): boolean {
    let changed = false;
    for (const line of lines) {
      if (line.seq !== this.known + 1) continue;
      this.classify(line.seq, line.text);
      changed = true;
    }
    return changed;
  }

  /** Visible rows of a log of `total` lines (lines not classified yet count as visible). */
  rows(total: number): number {
    return this.known - this.hidden + Math.max(0, total - this.known);
  }

  /** The seq shown at visible row `row` (0-based). */
  seqAt(row: number): number {
    const visibleKnown = this.known - this.hidden;
    if (row >= visibleKnown) return this.known + 1 + (row - visibleKnown);
    let left = row;
    let block = 0;
    while (this.blockVisible[block]! <= left) left -= this.blockVisible[block++]!;
    let seq = block * BLOCK + 1;
    for (;; seq++) {
      if (!this.isHiddenSeq(seq)) {
        if (left === 0) return seq;
        left -= 1;
      }
    }
  }

  /** The row showing `seq`, or the next visible one after it when it is hidden. */
  rowOf(seq: number): number {
    if (seq > this.known) return this.known - this.hidden + (seq - this.known - 1);
    const block = Math.floor((seq - 1) / BLOCK);
    let row = 0;
    for (let b = 0; b < block; b++) row += this.blockVisible[b]!;
    for (let s = block * BLOCK + 1; s < seq; s++) if (!this.isHiddenSeq(s)) row += 1;
    return row;
  }

  /** Reads the log from `known` up to `total` in pages; one scan at a time; `aborted` stops it. */
  scan(fetch: FetchLogPage, totalNow: number | (() => number), aborted: () => boolean, pageSize = 5000): Promise<void> {
    return this.scanner.run(fetch, () => this.known, totalNow, aborted, pageSize, (page, after, total) => {
      if (page.lines.length === 0) {
        // The rest was dropped by the history's size cap (or is not written yet).
        for (let seq = after + 1; seq <= Math.min(total, page.lastSeq); seq++) this.classify(seq, undefined);
        return;
      }
      for (const line of page.lines) {
        if (line.seq <= this.known) continue;
        for (let seq = this.known + 1; seq < line.seq; seq++) this.classify(seq, undefined);
        this.classify(line.seq, line.text);
      }
    });
  }
}
