/** How a `dataset` node reaches KFP: an importer for object-store URIs, else a fetch step that downloads it. */
import type { PlannedNode } from '../plan.ts';
import { CompileError, datasetSource, sampleText } from '../plan.ts';
import type { BundledSample } from './launcher.ts';

/** Schemes KFP's launcher itself reads artifacts from (it mounts them at /s3/, /gcs/, /minio/). */
const IMPORTABLE = /^(?:s3|gs|minio):\/\//;

export type DatasetPlan = { kind: 'importer'; uri: string } | { kind: 'fetch'; sample?: BundledSample };

export function planDataset(p: PlannedNode, samples: Readonly<Record<string, string>> | undefined): DatasetPlan {
  const uri = p.resolved.params.uri;
  if (typeof uri !== 'string' || uri === '') throw new CompileError(`node "${p.id}": parameter "uri" is required`, { nodeId: p.id, param: 'uri' });
  // The importer's URI reaches Argo as it is; one with `{{` goes through the fetch step's protected argument instead.
  if (IMPORTABLE.test(uri) && !uri.includes('{{')) return { kind: 'importer', uri };
  const source = datasetSource(uri);
  if (source.kind === 'local') {
    throw new CompileError(
      `node "${p.id}": uri ${JSON.stringify(uri)} is a path on this machine, which a KFP cluster cannot read; use s3://, gs://, minio://, https:// or sample://`,
      { nodeId: p.id, param: 'uri' },
    );
  }
  if (source.kind === 'sample') return { kind: 'fetch', sample: { name: source.name, text: sampleText(samples, source.name, p.id) } };
  return { kind: 'fetch' };
}
