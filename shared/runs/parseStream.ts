/**
 * Turns one node's raw log output into typed run events: lines with dense `seq`, metric records,
 * progress and node info. Stateful per (run, node): it keeps partial lines across chunks, follows
 * tqdm's `\r` redraws live (progress without a log line per redraw) and counts Trainer steps.
 * Chunks are strings: decode bytes with a streaming decoder (`stream.setEncoding('utf8')`) first.
 */
import { parseLogLine, splitTimestamp, stripAnsi } from './parse.ts';
import { parseTqdm } from './parseTqdm.ts';
import type { DeployStatus, LogLine, MetricRecord, MlflowLinks, OutputHash, Progress, RunEvent } from './types.ts';

/** PIPEWRIGHT_INFO keys that name a step's MLflow run and model version. */
const MLFLOW_KEYS: Record<string, keyof MlflowLinks> = {
  mlflow_run_id: 'runId', mlflow_run_url: 'runUrl', mlflow_experiment_id: 'experimentId',
  mlflow_model_name: 'modelName', mlflow_model_version: 'modelVersion', mlflow_model_url: 'modelUrl',
};

/** PIPEWRIGHT_INFO keys of an output's content hash and size: output_sha256_<port>, output_bytes_<port>. */
const OUTPUT_SHA = 'output_sha256_';
const OUTPUT_BYTES = 'output_bytes_';

export type LogStream = 'stdout' | 'stderr';

export interface LogStreamParserOptions {
  runId: string;
  nodeId: string;
  /** seq of the last line already recorded for this node (resuming); the next line gets lastSeq + 1. */
  lastSeq?: number;
  /** The step counter for metric lines that carry no step (resuming). */
  lastStep?: number;
  /** Time for lines that carry no timestamp of their own. */
  now?: () => string;
  /** A line longer than this is cut (the rest replaced by a marker); a partial line this long is flushed. */
  maxLineLength?: number;
}

interface Batch {
  lines: LogLine[];
  records: MetricRecord[];
  progress?: Progress;
  engine?: string;
  deploy?: DeployStatus;
  mlflow?: MlflowLinks;
  outputs?: Record<string, OutputHash>;
  now?: string;
}

const DEFAULT_MAX_LINE = 64 * 1024;

function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

export class LogStreamParser {
  private readonly runId: string;
  private readonly nodeId: string;
  private readonly now: () => string;
  private readonly maxLineLength: number;
  private seq: number;
  private step: number;
  private readonly pending: Record<LogStream, string> = { stdout: '', stderr: '' };
  private lastProgressKey = '';
  private lastEngine: string | undefined;

  constructor(options: LogStreamParserOptions) {
    this.runId = options.runId;
    this.nodeId = options.nodeId;
    this.seq = options.lastSeq ?? 0;
    this.step = options.lastStep ?? 0;
    this.now = options.now ?? (() => new Date().toISOString());
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE;
  }

  /** seq of the last line emitted. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Feed a chunk of one stream's output; returns the events it completes. */
  push(chunk: string, stream: LogStream = 'stdout'): RunEvent[] {
    const batch: Batch = { lines: [], records: [] };
    const buffer = this.pending[stream] + chunk;
    let start = 0;
    for (let nl = buffer.indexOf('\n', start); nl >= 0; nl = buffer.indexOf('\n', start)) {
      this.addLine(buffer.slice(start, nl), stream, batch);
      start = nl + 1;
    }
    this.pending[stream] = this.compact(start === 0 ? buffer : buffer.slice(start), stream, batch);
    return this.toEvents(batch);
  }

  /** The stream ended: a last line without its newline is still a line. */
  end(): RunEvent[] {
    const batch: Batch = { lines: [], records: [] };
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.pending[stream].length > 0) this.addLine(this.pending[stream], stream, batch);
      this.pending[stream] = '';
    }
    return this.toEvents(batch);
  }

  /** Keep only what a terminal would still show of an unfinished line; report its live progress. */
  private compact(rest: string, stream: LogStream, batch: Batch): string {
    const { ts, rest: body } = splitTimestamp(rest);
    const lastCr = body.lastIndexOf('\r');
    if (lastCr >= 0) {
      const complete = body.slice(0, lastCr).split('\r');
      let keep = '';
      let progress: Progress | undefined;
      for (let i = complete.length - 1; i >= 0 && (progress === undefined || keep === ''); i--) {
        if (keep === '' && !isBlank(complete[i])) keep = complete[i];
        if (progress === undefined && complete[i].includes('%|')) progress = parseTqdm(stripAnsi(complete[i]));
      }
      if (progress) this.setProgress(progress, batch);
      rest = (ts === undefined ? '' : `${ts} `) + keep + '\r' + body.slice(lastCr + 1);
    }
    if (rest.length > this.maxLineLength) {
      this.addLine(rest, stream, batch);
      return '';
    }
    return rest;
  }

  private setProgress(progress: Progress, batch: Batch): void {
    const key = `${progress.current}/${progress.total}/${progress.label ?? ''}`;
    if (key === this.lastProgressKey) return;
    this.lastProgressKey = key;
    batch.progress = progress;
  }

  private addLine(raw: string, stream: LogStream, batch: Batch): void {
    const parsed = parseLogLine(raw);
    let text = parsed.text;
    if (text.length > this.maxLineLength) text = `${text.slice(0, this.maxLineLength)}… [${text.length - this.maxLineLength} more characters]`;
    const ts = parsed.ts ?? (batch.now ??= this.now());
    batch.lines.push({ seq: ++this.seq, ts, text, stream });
    const metric = parsed.metric;
    if (metric) {
      let step: number;
      if (metric.step !== undefined) step = this.step = metric.step;
      else step = metric.summary ? this.step : ++this.step;
      batch.records.push({ step, values: metric.values, ts });
    }
    if (parsed.progress) this.setProgress(parsed.progress, batch);
    if (parsed.info && typeof parsed.info.engine === 'string' && parsed.info.engine !== this.lastEngine) batch.engine = this.lastEngine = parsed.info.engine;
    if (parsed.info) {
      for (const key in parsed.info) {
        const field = MLFLOW_KEYS[key];
        const value = parsed.info[key];
        if (field) (batch.mlflow ??= {})[field] = String(value);
        else if (key.startsWith(OUTPUT_SHA) && typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)) ((batch.outputs ??= {})[key.slice(OUTPUT_SHA.length)] ??= {}).sha256 = value;
        else if (key.startsWith(OUTPUT_BYTES) && typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) ((batch.outputs ??= {})[key.slice(OUTPUT_BYTES.length)] ??= {}).bytes = value;
      }
    }
    if (parsed.deploy) batch.deploy = parsed.deploy;
  }

  private toEvents(batch: Batch): RunEvent[] {
    const { runId, nodeId } = this;
    const events: RunEvent[] = [];
    if (batch.lines.length > 0) events.push({ kind: 'log', runId, nodeId, lines: batch.lines });
    if (batch.engine !== undefined || batch.deploy || batch.mlflow || batch.outputs) {
      events.push({
        kind: 'node-info', runId, nodeId,
        ...(batch.engine !== undefined ? { engine: batch.engine } : {}),
        ...(batch.deploy ? { deploy: batch.deploy } : {}),
        ...(batch.mlflow ? { mlflow: batch.mlflow } : {}),
        ...(batch.outputs ? { outputs: batch.outputs } : {}),
      });
    }
    if (batch.records.length > 0) events.push({ kind: 'metrics', runId, nodeId, records: batch.records });
    if (batch.progress) events.push({ kind: 'progress', runId, nodeId, progress: batch.progress });
    return events;
  }
}
