/** Templates offered by New. */
import type { LocalizedText, PipelineDocument } from '../../shared/pipeline/types.ts';

export interface TemplateChoice {
  id: string;
  title: LocalizedText;
  description: LocalizedText;
  document: PipelineDocument;
}

export function listTemplates(): TemplateChoice[] {
  return [];
}
