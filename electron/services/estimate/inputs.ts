/**
 * Reads what the estimate needs from disk: local base models' config.json and the size of local
 * datasets (data files only; Parquet is compressed, so it counts as about three times its size in text).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EstimateInputs, EstimateInputsRequest } from '../../../shared/api/estimate.ts';
import { modelConfigFields } from '../../../shared/estimate/modelConfig.ts';

const DATA_FILE = /\.(jsonl|json|txt|csv|parquet)$/i;
/** Text-to-Parquet size ratio of typical text columns (snappy). */
const PARQUET_EXPANSION = 3;
const MAX_FILES = 10_000;
const MAX_CONFIG_BYTES = 1024 * 1024;

/** A local path as the step would see it on this machine: `~` expanded, `file://` stripped, relative to `base`. */
export function localPath(value: string, base: string): string {
  const plain = value.trim().replace(/^file:\/\//, '');
  const home = plain === '~' || plain.startsWith('~/') ? path.join(os.homedir(), plain.slice(1)) : plain;
  return path.resolve(base, home);
}

async function readConfig(dir: string): Promise<EstimateInputs['modelConfigs'][string]> {
  const file = path.join(dir, 'config.json');
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_CONFIG_BYTES) return { error: `${file} is ${stat.size} bytes, too large for a model config` };
    const text = await fs.readFile(file, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not the parser's message: it quotes the file's text.
      return { error: `${file} is not valid JSON` };
    }
    return { config: modelConfigFields(parsed) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { missing: true } : { error: (error as Error).message };
  }
}

async function dataBytes(target: string): Promise<number | null> {
  const stat = await fs.stat(target).catch(() => undefined);
  if (!stat) return null;
  const weigh = (file: string, size: number) => (/\.parquet$/i.test(file) ? size * PARQUET_EXPANSION : size);
  if (stat.isFile()) return weigh(target, stat.size);
  let total = 0;
  let seen = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (++seen > MAX_FILES) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < 3 && !entry.name.startsWith('.')) await walk(full, depth + 1);
      else if (entry.isFile() && DATA_FILE.test(entry.name)) total += weigh(entry.name, (await fs.stat(full).catch(() => ({ size: 0 }))).size);
    }
  };
  await walk(target, 0);
  return total;
}

export async function readEstimateInputs(request: EstimateInputsRequest, cwd = process.cwd()): Promise<EstimateInputs> {
  const base = request.documentPath ? path.dirname(path.resolve(request.documentPath)) : cwd;
  const modelConfigs: EstimateInputs['modelConfigs'] = {};
  const datasetBytes: EstimateInputs['datasetBytes'] = {};
  for (const model of new Set(request.modelPaths)) modelConfigs[model] = await readConfig(localPath(model, base));
  for (const uri of new Set(request.datasetUris)) datasetBytes[uri] = await dataBytes(localPath(uri, base));
  return { modelConfigs, datasetBytes };
}
