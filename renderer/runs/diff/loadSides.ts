/** The runs of a diff, read from the back end (record and every node's metric records), oldest first. */
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import type { DiffSide } from '../../../shared/runs/diff/types.ts';
import type { MetricRecord, RunRecord } from '../../../shared/runs/types.ts';

export interface RunReader {
  getRun(runId: string): Promise<RunRecord>;
  readMetrics(runId: string, nodeId: string): Promise<MetricRecord[]>;
}

export async function loadRunSide(api: RunReader, id: string): Promise<DiffSide> {
  const run = await api.getRun(id);
  const curves: Record<string, MetricRecord[]> = {};
  await Promise.all(
    Object.keys(run.nodes).map(async (nodeId) => {
      const records = await api.readMetrics(id, nodeId);
      if (records.length > 0) curves[nodeId] = records;
    }),
  );
  return { label: id, document: run.document, run, curves };
}

/** The picked runs oldest first; with `document`, the first run and the document as it is now. */
export async function loadDiffSides(api: RunReader, ids: readonly string[], document?: { label: string; doc: PipelineDocument }): Promise<DiffSide[]> {
  const runs = await Promise.all(ids.map((id) => loadRunSide(api, id)));
  runs.sort((x, y) => (x.run!.createdAt < y.run!.createdAt ? -1 : x.run!.createdAt > y.run!.createdAt ? 1 : 0));
  return document ? [runs[0], { label: document.label, document: document.doc }] : runs;
}
