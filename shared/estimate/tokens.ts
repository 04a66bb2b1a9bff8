/**
 * How many tokens a dataset holds, as well as can be told before running: the characters the last
 * preprocess run kept, a bundled sample's text, or a local file's size. Korean text averages about
 * 1.5 characters per token with the BPE tokenizers of the models in the table (Qwen2.5, Llama 3,
 * Gemma, EXAONE: 0.6-0.7 tokens per character) and about 2.5 UTF-8 bytes per character with spaces
 * and punctuation, so a raw JSONL file (keys and quotes included) is taken as 4 bytes per token.
 */
import type { DatasetSize } from './types.ts';

export const CHARS_PER_TOKEN = 1.5;
export const FILE_BYTES_PER_TOKEN = 4;

/** A sample folder is packed as one JSON document holding its files (scripts/gen-catalog-scripts.mjs). */
const SAMPLE_FOLDER_FORMAT = 'pipewright.sample-folder/v1';

/** Characters of text and records in a JSONL (or plain text) sample: every string value of each record counts. */
export function countSampleText(text: string): { chars: number; records: number } {
  const known = counted.get(text);
  if (known) return known;
  const result = countText(text);
  // Bundled samples are few; text handed in by a caller could be anything: keep the memory bounded.
  if (counted.size >= MAX_COUNTED) counted.clear();
  counted.set(text, result);
  return result;
}

const MAX_COUNTED = 32;
/** Sample text to its counts: every estimate of every node reads the same few samples. */
const counted = new Map<string, { chars: number; records: number }>();

function countText(text: string): { chars: number; records: number } {
  if (text.includes(SAMPLE_FOLDER_FORMAT)) {
    const folder = parseFolder(text);
    if (folder) {
      return Object.values(folder).reduce((sum, file) => {
        const c = countSampleText(file);
        return { chars: sum.chars + c.chars, records: sum.records + c.records };
      }, { chars: 0, records: 0 });
    }
  }
  let chars = 0;
  let records = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    records += 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      chars += line.length;
      continue;
    }
    chars += stringChars(value);
  }
  return { chars, records };
}

function stringChars(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + stringChars(v), 0);
  if (typeof value === 'object' && value !== null) return Object.values(value).reduce((sum: number, v) => sum + stringChars(v), 0);
  return 0;
}

export function sizeFromChars(chars: number, records: number | undefined, source: DatasetSize['source']): DatasetSize {
  const size: DatasetSize = { tokens: Math.round(chars / CHARS_PER_TOKEN), source };
  if (records !== undefined && records > 0) size.examples = records;
  return size;
}

export function sizeFromBytes(bytes: number): DatasetSize {
  return { tokens: Math.round(bytes / FILE_BYTES_PER_TOKEN), source: 'file' };
}

function parseFolder(text: string): Record<string, string> | undefined {
  try {
    const doc = JSON.parse(text) as { format?: unknown; files?: unknown };
    if (doc.format !== SAMPLE_FOLDER_FORMAT || typeof doc.files !== 'object' || doc.files === null) return undefined;
    return Object.fromEntries(Object.entries(doc.files).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return undefined;
  }
}
