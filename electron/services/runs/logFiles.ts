/**
 * A node's log on disk: `logs/<node>/<first seq>.log` segment files of `seq \t ts \t stream \t text`
 * lines (plain text, readable with `cat`). The first segment (the head) is kept; later segments
 * rotate and the oldest go once the tail passes its cap, so a log keeps its beginning and its end,
 * and readers see one `[truncated: N earlier lines]` line where lines were dropped.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LogPage } from '../../../shared/api/runs.ts';
import type { LogLine } from '../../../shared/runs/types.ts';

export interface Segment {
  firstSeq: number;
  file: string;
  bytes: number;
}

const SEGMENT_NAME = /^(\d{12})\.log$/;
const STREAMS: Record<string, LogLine['stream']> = { o: 'stdout', e: 'stderr' };

export function nodeLogDir(runDir: string, nodeId: string): string {
  return path.join(runDir, 'logs', encodeURIComponent(nodeId));
}

export function segmentName(firstSeq: number): string {
  return `${String(firstSeq).padStart(12, '0')}.log`;
}

export function formatLogLine(line: LogLine): string {
  const text = line.text.includes('\n') || line.text.includes('\r') ? line.text.replace(/[\r\n]/g, ' ') : line.text;
  const stream = line.stream === 'stdout' ? 'o' : line.stream === 'stderr' ? 'e' : '-';
  return `${line.seq}\t${line.ts}\t${stream}\t${text}\n`;
}

export function parseLogFileLine(raw: string): LogLine | undefined {
  const a = raw.indexOf('\t');
  const b = raw.indexOf('\t', a + 1);
  const c = raw.indexOf('\t', b + 1);
  if (a < 1 || b < 0 || c < 0) return undefined;
  const seq = Number(raw.slice(0, a));
  if (!Number.isInteger(seq)) return undefined;
  const line: LogLine = { seq, ts: raw.slice(a + 1, b), text: raw.slice(c + 1) };
  const stream = STREAMS[raw.slice(b + 1, c)];
  if (stream) line.stream = stream;
  return line;
}

export async function listSegments(dir: string): Promise<Segment[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const segments: Segment[] = [];
  for (const name of names) {
    const m = SEGMENT_NAME.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat) segments.push({ firstSeq: Number(m[1]), file, bytes: stat.size });
  }
  return segments.sort((x, y) => x.firstSeq - y.firstSeq);
}

async function readSegmentLines(file: string): Promise<LogLine[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const lines: LogLine[] = [];
  // A line cut by a crash mid-write has no newline yet: leave it out.
  const end = text.lastIndexOf('\n');
  for (const raw of text.slice(0, end + 1).split('\n')) {
    const line = raw ? parseLogFileLine(raw) : undefined;
    if (line) lines.push(line);
  }
  return lines;
}

/** The last complete line of a segment, read from its end. */
export async function lastLineOf(segment: Segment): Promise<LogLine | undefined> {
  const handle = await fs.open(segment.file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    for (let window = 64 * 1024; ; window *= 4) {
      const start = Math.max(0, segment.bytes - window);
      const buffer = Buffer.alloc(segment.bytes - start);
      await handle.read(buffer, 0, buffer.length, start);
      const text = buffer.toString('utf8');
      const end = text.lastIndexOf('\n');
      const begin = text.lastIndexOf('\n', end - 1);
      if (end >= 0 && (begin >= 0 || start === 0)) return parseLogFileLine(text.slice(begin + 1, end));
      if (start === 0) return undefined;
    }
  } finally {
    await handle.close();
  }
}

function marker(seq: number, dropped: number, ts: string): LogLine {
  return { seq, ts, text: `[truncated: ${dropped} earlier lines]` };
}

/** Lines with seq > afterSeq, at most `limit`, with a marker line where the cap dropped lines. */
export async function readLogPage(dir: string, afterSeq: number, limit: number): Promise<LogPage> {
  const segments = await listSegments(dir);
  if (segments.length === 0) return { lines: [], lastSeq: 0 };
  const lastSeq = (await lastLineOf(segments[segments.length - 1]))?.seq ?? segments[segments.length - 1].firstSeq - 1;
  const lines: LogLine[] = [];
  let index = 0;
  while (index + 1 < segments.length && segments[index + 1].firstSeq <= afterSeq + 1) index++;
  let seen = afterSeq;
  for (; index < segments.length && lines.length < limit; index++) {
    for (const line of await readSegmentLines(segments[index].file)) {
      if (line.seq <= seen) continue;
      if (line.seq > seen + 1) lines.push(marker(line.seq - 1, line.seq - 1 - seen, line.ts));
      if (lines.length >= limit) break;
      lines.push(line);
      seen = line.seq;
      if (lines.length >= limit) break;
    }
  }
  return { lines: lines.slice(0, limit), lastSeq };
}

/** The last `count` lines of a node's log. */
export async function readLogTail(dir: string, count: number): Promise<LogLine[]> {
  const segments = await listSegments(dir);
  const out: LogLine[] = [];
  for (let i = segments.length - 1; i >= 0 && out.length < count; i--) {
    const lines = await readSegmentLines(segments[i].file);
    out.unshift(...lines.slice(Math.max(0, lines.length - (count - out.length))));
  }
  return out;
}
