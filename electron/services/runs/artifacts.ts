/**
 * What a step of a local run wrote (its output folders under the run's workspace, data/<node>/<port>): files with
 * sizes and SHA-256 content hashes, and what the run panel shows of them — eval predictions as rows, rendered
 * manifests, the model card (pipewright.json of a model folder). Bounded: at most MAX_FILES files listed, files over
 * HASH_LIMIT not hashed, text read up to TEXT_LIMIT.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import type { LogPage, ManifestArtifact, NodeArtifacts, PredictionRow } from '../../../shared/api/runs.ts';
import { APPLIED_PREFIX } from '../../../shared/runs/protocol.ts';
import type { RunRecord } from '../../../shared/runs/types.ts';

const MAX_FILES = 500;
const HASH_LIMIT = 256 * 1024 * 1024;
const TEXT_LIMIT = 256 * 1024;
const MAX_ROWS = 500;
/** Applied manifests are looked for in at most this many log lines (a registry watcher's log grows for days). */
const MAX_SCANNED_LINES = 200_000;
const PAGE = 2_000;

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readText(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(TEXT_LIMIT);
    const { bytesRead } = await handle.read(buffer, 0, TEXT_LIMIT, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

function predictionRows(text: string): { rows: PredictionRow[]; total: number } {
  const rows: PredictionRow[] = [];
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    total++;
    if (rows.length < MAX_ROWS) {
      rows.push({ prompt: String(row.prompt ?? ''), expected: String(row.expected ?? ''), answer: String(row.answer ?? row.output ?? ''), correct: row.correct === true });
    }
  }
  return { rows, total };
}

/** The node's outputs in a local run's workspace; cluster runs keep them in the artifact store (not read here). */
export async function readNodeArtifacts(record: Pick<RunRecord, 'external' | 'target'>, nodeId: string): Promise<NodeArtifacts> {
  const workspace = record.external?.workspace;
  if (!workspace) return { available: false, reason: 'not-local', files: [] };
  const dataRoot = path.resolve(workspace, 'data');
  const root = path.resolve(dataRoot, nodeId);
  // A node's folder is a direct child of data/: an id like "../../.." must not list (and hash) other folders.
  if (path.dirname(root) !== dataRoot) return { available: false, reason: 'no-outputs', files: [] };
  const out: NodeArtifacts = { available: true, files: [] };
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (out.files.length >= MAX_FILES) {
        out.truncated = true;
        return;
      }
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const rel = path.relative(root, full).split(path.sep).join('/');
        const { size } = await fs.stat(full);
        out.files.push({ path: rel, port: rel.split('/')[0], size, ...(size <= HASH_LIMIT ? { sha256: await sha256(full) } : {}) });
        if (entry.name === 'predictions.jsonl') {
          const { rows, total } = predictionRows(await readText(full));
          out.predictions = rows;
          out.predictionsTotal = total;
        } else if (/\.ya?ml$/.test(entry.name) && entry.name !== 'kustomization.yaml' && entry.name !== 'all.yaml' && rel.split('/').length === 2) {
          (out.manifests ??= []).push({ file: rel, text: await readText(full) });
        } else if (entry.name === 'pipewright.json') {
          try {
            out.modelCard = JSON.parse(await readText(full)) as Record<string, unknown>;
          } catch {
            // A model card that is not JSON is listed as a file only.
          }
        }
      }
    }
  };
  await walk(root);
  if (out.files.length === 0) return { available: false, reason: 'no-outputs', files: [] };
  return out;
}

/**
 * What a cluster run's deploy step applied, from its log's PIPEWRIGHT_APPLIED lines (node-catalog/deploy/step.py).
 * A file applied again (the registry watcher rolling out a new version) shows its last apply.
 */
export async function readAppliedManifests(readPage: (afterSeq: number, limit: number) => Promise<LogPage>): Promise<ManifestArtifact[]> {
  const byFile = new Map<string, ManifestArtifact>();
  let after = 0;
  for (let scanned = 0; scanned < MAX_SCANNED_LINES; ) {
    const page = await readPage(after, PAGE);
    if (page.lines.length === 0) break;
    for (const line of page.lines) {
      if (!line.text.startsWith(APPLIED_PREFIX)) continue;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(line.text.slice(APPLIED_PREFIX.length)) as Record<string, unknown>;
      } catch {
        continue;
      }
      const { file, kind, name, namespace, generation, yaml } = body;
      if (typeof file !== 'string' || typeof yaml !== 'string' || typeof kind !== 'string' || typeof name !== 'string' || typeof namespace !== 'string') continue;
      byFile.set(file, { file, text: yaml, applied: { kind, name, namespace, at: line.ts, ...(typeof generation === 'number' ? { generation } : {}) } });
    }
    scanned += page.lines.length;
    after = page.lines[page.lines.length - 1].seq;
    if (after >= page.lastSeq) break;
  }
  return [...byFile.values()];
}
