/** Reading a whole log forward in pages, for what must see every line once (hidden protocol lines, search matches). */
import type { LogPage } from '../../shared/api/runs.ts';
import type { FetchLogPage } from './logWindow.ts';

export class LogScan {
  private running = false;

  /**
   * Reads from `position()` to the log's end (`totalNow` read again after each page) and hands each page to
   * `take` with the seq it was read after and the end it aimed at. A page with no lines ends the scan after
   * `take` (the rest was dropped by the history's size cap, or is not written yet). One scan at a time: a
   * call while one runs returns at once. `aborted` stops it, also between a read and its `take`.
   */
  async run(
    fetch: FetchLogPage,
    position: () => number,
    totalNow: number | (() => number),
    aborted: () => boolean,
    pageSize: number,
    take: (page: LogPage, after: number, total: number) => void,
  ): Promise<void> {
    if (this.running) return;
    this.running = true;
    const totalOf = typeof totalNow === 'function' ? totalNow : () => totalNow;
    try {
      while (position() < totalOf() && !aborted()) {
        const total = totalOf();
        const after = position();
        const page = await fetch(after, Math.min(pageSize, total - after));
        if (aborted()) return;
        take(page, after, total);
        if (page.lines.length === 0) return;
      }
    } finally {
      this.running = false;
    }
  }
}
