/** Field keys tie validator problems, inspector controls and "focus this field" requests together. */
import type { Problem, ProblemLocation } from '../../shared/pipeline/types.ts';

/** `params.learning_rate`, `resources.gpus`, `settings.image`, `name`, ... */
export function problemFieldKey(location: ProblemLocation): string | null {
  if (location.param) return `params.${location.param}`;
  return location.field ?? null;
}

export function fieldDomId(nodeId: string | null, key: string): string {
  return `field-${nodeId ?? 'pipeline'}-${key.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
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
