/** A fit suggestion as document changes: dispatched together, they are one undo step. */
import type { FitSuggestion } from '../../shared/estimate/types.ts';
import type { DocumentChange } from '../document/changes.ts';

export function suggestionChanges(nodeId: string, s: FitSuggestion): DocumentChange[] {
  if (s.kind === 'product') return [{ type: 'set-resources', id: nodeId, patch: { gpuProduct: s.gpuProduct } }];
  return Object.entries(s.params).map(([name, value]) => ({ type: 'set-param', id: nodeId, name, value }));
}
