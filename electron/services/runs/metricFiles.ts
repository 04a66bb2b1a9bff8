/**
 * A node's metric records on disk: `metrics/<node>.jsonl`, one `{"step", "values", "ts"}` per line.
 * NaN and infinities (a diverging loss) are kept as the strings "NaN", "Infinity", "-Infinity".
 */
import { appendFileSync, mkdirSync, promises as fs } from 'node:fs';
import { SYNC_FLUSH_CHARS } from './logWriter.ts';
import path from 'node:path';
import type { MetricRecord } from '../../../shared/runs/types.ts';

export function metricsFile(runDir: string, nodeId: string): string {
  return path.join(runDir, 'metrics', `${encodeURIComponent(nodeId)}.jsonl`);
}

function encodeNumber(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

const SPECIAL: Record<string, number> = { NaN, Infinity, '-Infinity': -Infinity };

export function formatMetricRecord(record: MetricRecord): string {
  return `${JSON.stringify(record, encodeNumber)}\n`;
}

export function parseMetricRecord(raw: string): MetricRecord | undefined {
  try {
    const obj = JSON.parse(raw) as { step?: unknown; values?: Record<string, unknown>; ts?: unknown };
    if (typeof obj.step !== 'number' || typeof obj.values !== 'object' || obj.values === null) return undefined;
    const values: Record<string, number> = {};
    for (const [key, v] of Object.entries(obj.values)) {
      if (typeof v === 'number') values[key] = v;
      else if (typeof v === 'string' && v in SPECIAL) values[key] = SPECIAL[v];
    }
    return typeof obj.ts === 'string' ? { step: obj.step, values, ts: obj.ts } : { step: obj.step, values };
  } catch {
    return undefined;
  }
}

export async function readMetricsFile(file: string): Promise<MetricRecord[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const records: MetricRecord[] = [];
  for (const raw of text.slice(0, text.lastIndexOf('\n') + 1).split('\n')) {
    const record = raw ? parseMetricRecord(raw) : undefined;
    if (record) records.push(record);
  }
  return records;
}

/** Batches records for one node; `flush` appends them. */
export class MetricWriter {
  private pending = '';
  private made = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  append(records: readonly MetricRecord[]): void {
    for (const record of records) this.pending += formatMetricRecord(record);
  }

  get pendingBytes(): number {
    return this.pending.length;
  }

  flush(): Promise<void> {
    const run = async () => {
      if (!this.pending) return;
      const text = this.pending;
      this.pending = '';
      // The folder is made once; a small batch (the usual) is appended synchronously, cheaper than trips through the thread pool.
      if (text.length <= SYNC_FLUSH_CHARS) {
        if (!this.made) mkdirSync(path.dirname(this.file), { recursive: true });
        this.made = true;
        appendFileSync(this.file, text);
        return;
      }
      if (!this.made) await fs.mkdir(path.dirname(this.file), { recursive: true });
      this.made = true;
      await fs.appendFile(this.file, text);
    };
    this.chain = this.chain.then(run, run);
    return this.chain;
  }
}
