/**
 * Appends one node's log lines to its segment files (see logFiles.ts) in batches: lines wait in
 * memory until `flush` (the RunManager flushes on a short timer, before reads and at the end),
 * so a chatty step costs one write per batch, not one per line.
 */
import { appendFileSync, mkdirSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { LogLine } from '../../../shared/runs/types.ts';
import { formatLogLine, lastLineOf, listSegments, segmentName } from './logFiles.ts';
import type { Segment } from './logFiles.ts';

export interface LogCaps {
  /** Bytes kept from the beginning of each node's log. */
  headBytes: number;
  /** Bytes kept from its end. */
  tailBytes: number;
  /** Size at which a tail segment file is closed and a new one begun. */
  segmentBytes: number;
}

/** Batches up to this many characters are written synchronously. */
export const SYNC_FLUSH_CHARS = 256 * 1024;

export const DEFAULT_LOG_CAPS: LogCaps = { headBytes: 1024 * 1024, tailBytes: 32 * 1024 * 1024, segmentBytes: 1024 * 1024 };

export class NodeLogWriter {
  private segments: Segment[] = [];
  private pending: { seq: number; text: string }[] = [];
  /** Characters of the lines waiting to be written (for backpressure). */
  pendingChars = 0;
  private seq = 0;
  private ready: Promise<void>;
  private chain: Promise<void> = Promise.resolve();
  /** The folder exists (made by the first flush). */
  private made = false;

  constructor(
    private readonly dir: string,
    private readonly caps: LogCaps = DEFAULT_LOG_CAPS,
  ) {
    this.ready = this.load();
  }

  private async load(): Promise<void> {
    this.segments = await listSegments(this.dir);
    const last = this.segments.at(-1);
    if (last) this.seq = Math.max(this.seq, (await lastLineOf(last))?.seq ?? last.firstSeq - 1);
  }

  /** seq of the last line accepted (written or waiting). */
  async lastSeq(): Promise<number> {
    await this.ready;
    return this.seq;
  }

  /** Queue lines; a line at or below the last seq is a duplicate and is dropped. Returns the lines kept. */
  async append(lines: readonly LogLine[]): Promise<LogLine[]> {
    await this.ready;
    const kept: LogLine[] = [];
    for (const line of lines) {
      if (line.seq <= this.seq) continue;
      this.seq = line.seq;
      const text = formatLogLine(line);
      this.pendingChars += text.length;
      this.pending.push({ seq: line.seq, text });
      kept.push(line);
    }
    return kept;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Write what is waiting. Flushes run one after another. */
  flush(): Promise<void> {
    const run = async () => {
      await this.ready;
      if (this.pending.length === 0) return;
      const batch = this.pending;
      const chars = this.pendingChars;
      this.pending = [];
      this.pendingChars = 0;
      const writes: [file: string, text: string][] = [];
      let chunk = '';
      let current = this.segments.at(-1);
      for (const { seq, text } of batch) {
        const limit = this.segments.length <= 1 ? this.caps.headBytes : this.caps.segmentBytes;
        if (!current || current.bytes >= limit) {
          if (current && chunk) writes.push([current.file, chunk]);
          chunk = '';
          current = { firstSeq: seq, file: path.join(this.dir, segmentName(seq)), bytes: 0 };
          this.segments.push(current);
        }
        const bytes = Buffer.byteLength(text);
        current.bytes += bytes;
        chunk += text;
      }
      if (current && chunk) writes.push([current.file, chunk]);
      // A small batch (the usual: a tick's worth of lines) is written with synchronous calls, cheaper than trips through the thread pool.
      const sync = chars <= SYNC_FLUSH_CHARS;
      if (!this.made) {
        if (sync) mkdirSync(this.dir, { recursive: true });
        else await fs.mkdir(this.dir, { recursive: true });
        this.made = true;
      }
      for (const [file, text] of writes) {
        if (sync) appendFileSync(file, text);
        else await fs.appendFile(file, text);
      }
      await this.dropOldSegments();
    };
    this.chain = this.chain.then(run, run);
    return this.chain;
  }

  private async dropOldSegments(): Promise<void> {
    let tail = this.segments.slice(1).reduce((sum, s) => sum + s.bytes, 0);
    while (this.segments.length > 2 && tail > this.caps.tailBytes) {
      const [oldest] = this.segments.splice(1, 1);
      tail -= oldest.bytes;
      await fs.rm(oldest.file, { force: true });
    }
  }
}
