import type { NodeCatalog } from '../../../shared/pipeline/catalog.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import { validatePipeline } from '../../../shared/pipeline/validate.ts';

/** Refuses a document with validation errors before anything reaches a cluster. */
export function assertRunnable(doc: PipelineDocument, catalog: NodeCatalog): void {
  const errors = validatePipeline(doc, catalog).filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  const where = (p: (typeof errors)[number]) => [p.location.nodeId && `node ${p.location.nodeId}`, p.location.edgeId && `edge ${p.location.edgeId}`].filter(Boolean).join(', ');
  const lines = errors.slice(0, 5).map((p) => `${where(p) ? `${where(p)}: ` : ''}${p.message}`);
  throw new Error(`The pipeline has ${errors.length} error${errors.length > 1 ? 's' : ''}: ${lines.join('; ')}${errors.length > 5 ? '; …' : ''}`);
}
