/**
 * Unsaved field drafts: text typed into an inspector field that cannot be saved (not a number, not a whole
 * number, not a quantity, a taken name). The text lives here, in UI state (never in the document or its undo
 * history), and each draft is an error in Problems, on its node's card and in what blocks Run and Export.
 */
import type { PipelineDocument, PipelineNode, Problem } from '../../shared/pipeline/types.ts';
import type { Lang } from '../i18n/index.ts';
import { draftsEn, draftsKo } from './i18n.ts';

export const DRAFT_CODE = 'field-not-saved';

export interface FieldDraft {
  /** null: a pipeline-level field (settings, parameters). */
  nodeId: string | null;
  /** The field key, as problems name it: `resources.gpus`, `params.learning_rate`, `parameters.0.default`. */
  field: string;
  /** The field's label as shown when the draft was typed. */
  label: string;
  /** What the user typed. */
  text: string;
  /** Why it cannot be saved, as the field says it. */
  message: string;
  /** The value the document still holds, as the field shows it; '' when it holds none. */
  saved: string;
}

export interface DraftProblem extends Problem {
  draft: FieldDraft;
}

export type FieldDrafts = Readonly<Record<string, FieldDraft>>;

export function draftKey(nodeId: string | null, field: string): string {
  return `${nodeId ?? ''}\u0000${field}`;
}

export function isDraftProblem(p: Problem): p is DraftProblem {
  return p.code === DRAFT_CODE && 'draft' in p;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? '');
}

/** The Problems sentence for a draft, naming the field, its node (or the pipeline), the reason and what stays in use. */
export function draftProblemText(d: FieldDraft, lang: Lang): string {
  const text = lang === 'ko' ? draftsKo : draftsEn;
  const values = { label: d.label, node: d.nodeId ?? '', message: d.message, saved: d.saved === '' ? text.savedEmpty : d.saved };
  return fill(d.nodeId === null ? text.problemPipeline : text.problemNode, values);
}

export function draftProblem(d: FieldDraft): DraftProblem {
  return {
    severity: 'error',
    code: DRAFT_CODE,
    message: draftProblemText(d, 'en'),
    location: { ...(d.nodeId !== null ? { nodeId: d.nodeId } : {}), field: d.field },
    draft: d,
  };
}

function fieldExists(d: FieldDraft, doc: PipelineDocument, nodes: ReadonlyMap<string, PipelineNode>): boolean {
  if (d.nodeId === null) {
    const row = /^parameters\.(\d+)\./.exec(d.field);
    return !row || Number(row[1]) < (doc.parameters?.length ?? 0);
  }
  const node = nodes.get(d.nodeId);
  if (!node) return false;
  // A Python step declares its own parameters: one removed there takes its field with it.
  const param = /^params\.(.+)$/.exec(d.field);
  return !param || !node.interface || node.interface.parameters.some((p) => p.name === param[1]);
}

/** Drafts whose field still exists: their node is in the document (with that parameter), their pipeline parameter row too. */
export function liveDrafts(drafts: FieldDrafts, doc: PipelineDocument): FieldDrafts {
  const entries = Object.entries(drafts);
  if (entries.length === 0) return drafts;
  const nodes = new Map(doc.nodes.map((n) => [n.id, n]));
  const out: Record<string, FieldDraft> = {};
  for (const [key, d] of entries) if (fieldExists(d, doc, nodes)) out[key] = d;
  return Object.keys(out).length === entries.length ? drafts : out;
}

/** The drafts after pipeline parameter row `index` is removed: its own go, the rows below move up one. */
export function withoutParameterRow(drafts: FieldDrafts, index: number): FieldDrafts {
  const out: Record<string, FieldDraft> = {};
  for (const d of Object.values(drafts)) {
    const row = d.nodeId === null ? /^parameters\.(\d+)\.(.*)$/.exec(d.field) : null;
    if (row && Number(row[1]) === index) continue;
    const moved = row && Number(row[1]) > index ? { ...d, field: `parameters.${Number(row[1]) - 1}.${row[2]}` } : d;
    out[draftKey(moved.nodeId, moved.field)] = moved;
  }
  return out;
}

/** What Problems lists: every unsaved draft first (the user is typing there), then the validator's findings. */
export function mergeProblems(validator: readonly Problem[], drafts: FieldDrafts): Problem[] {
  const list = Object.values(drafts);
  return list.length === 0 ? (validator as Problem[]) : [...list.map(draftProblem), ...validator];
}

export function sameDraft(a: FieldDraft | undefined, b: FieldDraft): boolean {
  return a !== undefined && a.label === b.label && a.text === b.text && a.message === b.message && a.saved === b.saved && a.nodeId === b.nodeId && a.field === b.field;
}
