/**
 * Search through a whole node log on disk, page by page through `readLog`, without keeping the pages:
 * memory stays at one page whatever the log's length. Case-insensitive substring match.
 */
import type { FetchLogPage } from './logWindow.ts';

export type SearchDirection = 1 | -1;

export interface SearchOptions {
  pageSize?: number;
  /** Stops the scan when it returns true (a newer search started, the view closed). */
  aborted?: () => boolean;
}

export function lineMatches(text: string, query: string): boolean {
  return text.toLowerCase().includes(query.toLowerCase());
}

/** Ranges [start, end) of each occurrence of `query` in `text`, for highlighting. */
export function matchRanges(text: string, query: string): [number, number][] {
  if (!query) return [];
  const hay = text.toLowerCase();
  const needle = query.toLowerCase();
  const out: [number, number][] = [];
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) out.push([i, i + needle.length]);
  return out;
}

async function scanForward(fetch: FetchLogPage, query: string, after: number, upTo: number, size: number, aborted: () => boolean): Promise<number | null> {
  let cursor = after;
  while (cursor < upTo && !aborted()) {
    const page = await fetch(cursor, Math.min(size, upTo - cursor));
    if (page.lines.length === 0) return null;
    for (const line of page.lines) {
      if (line.seq > upTo) return null;
      if (lineMatches(line.text, query)) return line.seq;
    }
    cursor = page.lines[page.lines.length - 1].seq;
  }
  return null;
}

async function scanBackward(fetch: FetchLogPage, query: string, before: number, downTo: number, size: number, aborted: () => boolean): Promise<number | null> {
  let end = before;
  while (end - 1 > downTo && !aborted()) {
    const after = Math.max(downTo, end - 1 - size);
    const page = await fetch(after, end - 1 - after);
    const lines = page.lines.filter((l) => l.seq < end);
    for (let i = lines.length - 1; i >= 0; i--) if (lineMatches(lines[i].text, query)) return lines[i].seq;
    end = after + 1;
  }
  return null;
}

/**
 * The seq of the next line (after `fromSeq`, or before it going back) containing `query`, wrapping
 * around the end once; null when no line of the first `lastSeq` matches.
 */
export async function findInLog(fetch: FetchLogPage, query: string, fromSeq: number, direction: SearchDirection, lastSeq: number, options: SearchOptions = {}): Promise<number | null> {
  if (!query || lastSeq < 1) return null;
  const size = options.pageSize ?? 5000;
  const aborted = options.aborted ?? (() => false);
  if (direction === 1) {
    return (await scanForward(fetch, query, fromSeq, lastSeq, size, aborted)) ?? (await scanForward(fetch, query, 0, Math.min(fromSeq, lastSeq), size, aborted));
  }
  const start = fromSeq < 1 ? lastSeq + 1 : fromSeq;
  return (await scanBackward(fetch, query, start, 0, size, aborted)) ?? (await scanBackward(fetch, query, lastSeq + 1, start - 1, size, aborted));
}
