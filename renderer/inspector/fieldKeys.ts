/** Field keys tie validator problems, inspector controls and "focus this field" requests together. */
import type { Problem, ProblemLocation } from '../../shared/pipeline/types.ts';

/** `params.learning_rate`, `resources.gpus`, `settings.image`, `name`, ... */
export function problemFieldKey(location: ProblemLocation): string | null {
  if (location.param) return `params.${location.param}`;
  return location.field ?? null;
}

export interface FieldRef {
  nodeId: string | null;
  key: string;
}

// What each DOM id was made from, so a control can name its field (for its unsaved draft) from the id it is given.
const made = new Map<string, FieldRef>();

export function fieldDomId(nodeId: string | null, key: string): string {
  const id = `field-${nodeId ?? 'pipeline'}-${key.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  if (made.get(id)?.key !== key || made.get(id)?.nodeId !== nodeId) made.set(id, { nodeId, key });
  return id;
}

/** The node and field key a control's id was made from by fieldDomId; undefined for ids made otherwise (dialogs). */
export function fieldRefOf(domId: string): FieldRef | undefined {
  return made.get(domId);
}

/** Problems that belong to one field (its own key, or anything below it). */
export function problemsForField(problems: readonly Problem[], nodeId: string | null, key: string): Problem[] {
  return problems.filter((p) => {
    if ((p.location.nodeId ?? null) !== nodeId) return false;
    const k = problemFieldKey(p.location);
    return k !== null && (k === key || k.startsWith(`${key}.`));
  });
}

/** Focuses the control for `key`, or the nearest one above it (`resources.tolerations.0.key` → `resources.tolerations`). */
export function focusField(nodeId: string | null, key: string): boolean {
  const parts = key.split('.');
  while (parts.length > 0) {
    const el = document.getElementById(fieldDomId(nodeId, parts.join('.')));
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus();
      return true;
    }
    parts.pop();
  }
  return false;
}
