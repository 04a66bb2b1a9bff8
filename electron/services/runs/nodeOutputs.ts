/**
 * A node's metrics and artifacts as the run history serves them, with what a run keeps elsewhere: a finished
 * run's metrics from the step's MLflow run when the metrics file is gone, and what a cluster run's deploy
 * step applied, from the step's log.
 */
import type { NodeArtifacts } from '../../../shared/api/runs.ts';
import type { MetricRecord } from '../../../shared/runs/types.ts';
import { readMlflowMetricHistory } from '../mlflow/history.ts';
import { readAppliedManifests, readNodeArtifacts } from './artifacts.ts';
import type { RunHistory } from './history.ts';
import type { StoredRun } from './runFiles.ts';

/** `stored`: the finished run's record (undefined while the run is active here). */
export async function readNodeMetrics(history: RunHistory, runId: string, nodeId: string, stored: StoredRun | undefined): Promise<MetricRecord[]> {
  const records = await history.readMetrics(runId, nodeId);
  // A finished run whose metrics file is gone: the step's MLflow run still has the history.
  const mlflowRun = stored?.nodes[nodeId]?.mlflow?.runId;
  const trackingUri = stored?.document.settings?.mlflowTrackingUri;
  if (records.length > 0 || !stored || !mlflowRun || !trackingUri) return records;
  return readMlflowMetricHistory({ trackingUri, runId: mlflowRun });
}

export async function readNodeOutputs(history: RunHistory, record: StoredRun, nodeId: string): Promise<NodeArtifacts> {
  const artifacts = await readNodeArtifacts(record, nodeId);
  // A cluster run's outputs are in its artifact store, but what its deploy step applied is in the step's log.
  if (record.external?.workspace || record.document.nodes.find((n) => n.id === nodeId)?.type !== 'deploy') return artifacts;
  const manifests = await readAppliedManifests((after, limit) => history.readLog(record.id, nodeId, after, limit));
  return manifests.length > 0 ? { ...artifacts, manifests } : artifacts;
}
