/** Templates offered by New: the catalog's pipeline templates. */
import { TEMPLATES } from '../../node-catalog/templates/index.ts';
import type { PipelineTemplate } from '../../node-catalog/templates/index.ts';

export type TemplateChoice = PipelineTemplate;

export function listTemplates(): readonly TemplateChoice[] {
  return TEMPLATES;
}
