/**
 * The one log-line parser every run target uses (local, kfp, argo): Pipewright's protocol lines,
 * Hugging Face Trainer dicts, tqdm bars and Kubernetes timestamps. Pure and allocation-light: it
 * runs on every line of every log (200k lines/s is the target; see test/bench/logparse.bench.ts).
 */
import { parsePyDict } from './parsePyDict.ts';
import { parseTqdm } from './parseTqdm.ts';
import { DEPLOY_PREFIX, INFO_PREFIX, METRIC_PREFIX, PROGRESS_PREFIX } from './protocol.ts';
import type { DeployStatus, Progress } from './types.ts';

export interface ParsedMetric {
  /** Given by the line (`"step"` / `'step'`); otherwise the stream parser counts. */
  step?: number;
  values: Record<string, number>;
  source: 'pipewright' | 'trainer';
  /** A Trainer end-of-training or evaluation dict (`train_runtime`, `eval_*`): it does not advance the step. */
  summary?: boolean;
}

export type InfoValue = string | number | boolean;

export interface ParsedLine {
  /** What a terminal would show: no timestamp, no colour codes, the last `\r` redraw. */
  text: string;
  /** The line's own RFC 3339 timestamp (`kubectl logs --timestamps`), as written. */
  ts?: string;
  metric?: ParsedMetric;
  progress?: Progress;
  info?: Record<string, InfoValue>;
  deploy?: DeployStatus;
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) /;
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;

/** Split a `2026-11-28T10:00:00.123456789Z text` line into its timestamp and the rest. */
export function splitTimestamp(line: string): { ts?: string; rest: string } {
  if (line.length > 20 && line.charCodeAt(4) === 45 && line.charCodeAt(10) === 84) {
    const m = TIMESTAMP.exec(line);
    if (m) return { ts: m[0].slice(0, -1), rest: line.slice(m[0].length) };
  }
  return { rest: line };
}

export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** Python's json.dumps writes NaN and Infinity bare; JSON.parse refuses them. */
function parseLooseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(text.replace(/([:[,]\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g, '$1"$2"'));
    } catch {
      return undefined;
    }
  }
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return undefined;
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  const value = parseLooseJson(text);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function parseProtocolMetric(json: string): ParsedMetric | undefined {
  const obj = jsonObject(json);
  if (!obj) return undefined;
  const values: Record<string, number> = {};
  let count = 0;
  for (const key in obj) {
    if (key === 'step') continue;
    const n = toNumber(obj[key]);
    if (n !== undefined) {
      values[key] = n;
      count++;
    }
  }
  if (count === 0) return undefined;
  const step = toNumber(obj.step);
  return step !== undefined && Number.isFinite(step) ? { step, values, source: 'pipewright' } : { values, source: 'pipewright' };
}

function parseProtocolProgress(json: string): Progress | undefined {
  const obj = jsonObject(json);
  if (!obj || typeof obj.current !== 'number' || typeof obj.total !== 'number') return undefined;
  const progress: Progress = { current: obj.current, total: obj.total };
  if (typeof obj.label === 'string') progress.label = obj.label;
  if (typeof obj.rate === 'number') progress.rate = obj.rate;
  if (typeof obj.etaSeconds === 'number') progress.etaSeconds = obj.etaSeconds;
  return progress;
}

function parseInfo(json: string): Record<string, InfoValue> | undefined {
  const obj = jsonObject(json);
  if (!obj) return undefined;
  const info: Record<string, InfoValue> = {};
  for (const key in obj) {
    const v = obj[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') info[key] = v;
  }
  return info;
}

function parseTrainerDict(text: string): ParsedMetric | undefined {
  const values = parsePyDict(text);
  if (!values) return undefined;
  const metric: ParsedMetric = { values, source: 'trainer' };
  if ('step' in values) {
    metric.step = values.step;
    delete values.step;
  }
  for (const key in values) {
    if (key === 'train_runtime' || key.startsWith('eval_') || key.startsWith('test_')) {
      metric.summary = true;
      break;
    }
  }
  return metric;
}

function parseDeploy(json: string): DeployStatus | undefined {
  const obj = jsonObject(json);
  if (!obj || (obj.kind !== 'Deployment' && obj.kind !== 'Rollout') || typeof obj.phase !== 'string') return undefined;
  const out: DeployStatus = { kind: obj.kind, phase: obj.phase };
  const str = (key: string, as: keyof DeployStatus) => {
    if (typeof obj[key] === 'string' && obj[key] !== '') (out as unknown as Record<string, unknown>)[as] = obj[key];
  };
  const num = (key: string) => {
    if (typeof obj[key] === 'number' && Number.isFinite(obj[key])) (out as unknown as Record<string, unknown>)[key] = obj[key];
  };
  str('name', 'name');
  str('paused', 'paused');
  str('analysis', 'analysis');
  str('analysis_value', 'analysisValue');
  str('message', 'message');
  for (const key of ['step', 'steps', 'weight', 'ready', 'replicas']) num(key);
  return out;
}

/** Classify one segment (no timestamp, no `\r`). */
function classify(segment: string, out: ParsedLine): void {
  const text = segment.trim();
  const first = text.charCodeAt(0);
  if (first === 80 /* P */ && text.startsWith('PIPEWRIGHT_')) {
    const json = (prefix: string) => text.slice(prefix.length);
    if (text.startsWith(METRIC_PREFIX)) out.metric = parseProtocolMetric(json(METRIC_PREFIX));
    else if (text.startsWith(PROGRESS_PREFIX)) out.progress = parseProtocolProgress(json(PROGRESS_PREFIX));
    else if (text.startsWith(INFO_PREFIX)) out.info = parseInfo(json(INFO_PREFIX));
    else if (text.startsWith(DEPLOY_PREFIX)) out.deploy = parseDeploy(json(DEPLOY_PREFIX));
  } else if (first === 123 /* { */ && text.charCodeAt(1) === 39 /* ' */ && text.charCodeAt(text.length - 1) === 125) {
    out.metric = parseTrainerDict(text);
  } else if (text.includes('%|')) {
    out.progress = parseTqdm(text);
  }
  if (out.metric === undefined) delete out.metric;
  if (out.progress === undefined) delete out.progress;
  if (out.info === undefined) delete out.info;
  if (out.deploy === undefined) delete out.deploy;
}

/**
 * Parse one line (without its `\n`). A line holding `\r` redraws (tqdm) shows its last non-blank
 * segment, and its progress is the last bar among the segments.
 */
export function parseLogLine(line: string): ParsedLine {
  const { ts, rest } = splitTimestamp(line);
  const clean = stripAnsi(rest);
  const out: ParsedLine = { text: clean };
  if (ts !== undefined) out.ts = ts;
  if (!clean.includes('\r')) {
    classify(clean, out);
    return out;
  }
  const segments = clean.split('\r');
  let last = segments.length - 1;
  while (last > 0 && isBlank(segments[last])) last--;
  out.text = segments[last];
  classify(out.text, out);
  if (out.progress === undefined) {
    for (let i = last - 1; i >= 0; i--) {
      const progress = segments[i].includes('%|') ? parseTqdm(segments[i]) : undefined;
      if (progress) {
        out.progress = progress;
        break;
      }
    }
  }
  return out;
}
