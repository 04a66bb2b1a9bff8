/** What a scheduled Workflow's data check decided, read from the Workflow's status (the DataCheck node's output parameters). */
import { DATA_CHECK_TASK } from './argo.ts';

interface WorkflowStatusLike {
  status?: { nodes?: Record<string, { displayName?: string; outputs?: { parameters?: { name: string; value?: string }[] } }> };
}

export interface DataCheckOutcome {
  changed: boolean;
  /** `runs: data changed since ...` or `skipped: data unchanged since the last successful run ...`. */
  message: string;
}

/** Undefined for a Workflow without a data check, or before it decided. */
export function dataCheckOutcome(wf: WorkflowStatusLike): DataCheckOutcome | undefined {
  const node = Object.values(wf.status?.nodes ?? {}).find((n) => n.displayName === DATA_CHECK_TASK && n.outputs?.parameters);
  const value = (name: string) => node?.outputs?.parameters?.find((p) => p.name === name)?.value;
  const changed = value('changed');
  if (changed !== 'true' && changed !== 'false') return undefined;
  return { changed: changed === 'true', message: value('message') ?? '' };
}
