/**
 * The lineage of a run's node across the whole run history (shared/lineage). Records are read once and kept by
 * modification time, only the parts lineage needs, so asking again after a new run reads that run alone.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { NodeCatalog } from '../../../shared/pipeline/catalog.ts';
import { buildLineage } from '../../../shared/lineage/build.ts';
import type { Lineage, LineageRunInput } from '../../../shared/lineage/types.ts';
import type { RunHistory } from './history.ts';
import { recordFile } from './runFiles.ts';

export class LineageReader {
  private readonly cache = new Map<string, { mtimeMs: number; run: LineageRunInput | undefined }>();

  constructor(private readonly history: RunHistory, private readonly catalog: NodeCatalog) {}

  /** Every readable run; a damaged record is left out (the runs list says why), unless it is the one asked for. */
  private async runs(asked: string, live: (id: string) => LineageRunInput | undefined): Promise<LineageRunInput[]> {
    const out: LineageRunInput[] = [];
    const ids = await this.history.ids();
    for (const id of ids) {
      const active = live(id);
      if (active) {
        out.push(active);
        continue;
      }
      const stat = await fs.stat(recordFile(path.join(this.history.root, id))).catch(() => undefined);
      if (!stat) continue;
      const cached = this.cache.get(id);
      if (cached && cached.mtimeMs === stat.mtimeMs) {
        if (cached.run) out.push(cached.run);
        continue;
      }
      let run: LineageRunInput | undefined;
      try {
        const { pipelineName, target, phase, createdAt, document, nodes, inputs, parameterValues } = await this.history.read(id);
        run = { id, pipelineName, target, phase, createdAt, document: { ...document, nodes: document.nodes.map(({ code: _code, ...n }) => n) }, nodes, inputs, parameterValues };
      } catch (error) {
        if (id === asked) throw error;
      }
      this.cache.set(id, { mtimeMs: stat.mtimeMs, run });
      if (run) out.push(run);
    }
    for (const id of this.cache.keys()) if (!ids.includes(id)) this.cache.delete(id);
    return out;
  }

  async read(runId: string, nodeId: string | null, live: (id: string) => LineageRunInput | undefined = () => undefined): Promise<Lineage> {
    const runs = await this.runs(runId, live);
    if (!runs.some((r) => r.id === runId)) await this.history.read(runId);
    return buildLineage(runs, runId, nodeId ?? undefined, this.catalog);
  }
}
