/** A DAG task as Argo reads it: its dependencies (`depends` or the older `dependencies`), its arguments, and whether its failure fails the DAG. */
import type { TaskPhase } from './expressions.ts';
import { dependsTasks } from './expressions.ts';
import type { Template } from './pods.ts';
import { substitute } from './pods.ts';

/** A template's inputs: parameters by name, and input artifacts as `artifact:<name>` → repository key. */
export type Params = Map<string, string>;
export const ARTIFACT = 'artifact:';

type Task = Record<string, unknown>;

/** Argo's validation (validate.go) refuses this before running anything. */
export function checkDagTasks(template: Template, tasks: readonly Task[]): void {
  if (tasks.some((t) => t.depends !== undefined) && tasks.some((t) => t.dependencies !== undefined)) {
    throw new Error(`templates.${template.name} cannot use both 'depends' and 'dependencies' in the same DAG template`);
  }
}

/** The task's `depends` expression; `dependencies: [a, b]` reads as `a && b`; empty: none. */
export function dependsExpression(task: Task): string {
  return typeof task.depends === 'string' ? task.depends : ((task.dependencies as string[]) ?? []).join(' && ');
}

/** The tasks some other task depends on (the rest are the DAG's leaves). */
export function dependedOn(tasks: readonly Task[]): Set<string> {
  return new Set(tasks.flatMap((t) => (typeof t.depends === 'string' ? dependsTasks(t.depends) : ((t.dependencies as string[]) ?? []))));
}

/** The task ended Failed or Error without `continueOn` for it. */
export function failedWithoutContinue(task: Task, phase: TaskPhase | undefined): boolean {
  const continueOn = (task.continueOn ?? {}) as Record<string, unknown>;
  if (phase === 'Failed') return continueOn.failed !== true;
  if (phase === 'Error') return continueOn.error !== true;
  return false;
}

/** The task's arguments, substituted (a parameter still unresolved falls back to its default); artifacts `from` another task's output. */
export function taskArgs(task: Task, lookup: (key: string) => string | undefined): Params {
  const params = ((task.arguments as Record<string, unknown>)?.parameters as Array<{ name: string; value?: unknown; default?: unknown }>) ?? [];
  const out: Params = new Map(
    params.map((p) => {
      const value = substitute(String(p.value ?? ''), lookup);
      return [p.name, value.includes('{{') && p.default !== undefined ? String(p.default) : value];
    }),
  );
  const artifacts = ((task.arguments as Record<string, unknown>)?.artifacts as Array<{ name: string; from?: unknown }>) ?? [];
  for (const a of artifacts) {
    if (typeof a.from !== 'string') continue;
    const key = substitute(a.from, lookup);
    if (!key.includes('{{')) out.set(`${ARTIFACT}${a.name}`, key);
  }
  return out;
}
