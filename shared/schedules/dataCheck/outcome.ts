/** What a scheduled Workflow's data check decided, read from the Workflow's status. */
import { DATA_CHECK_TASK } from './argo.ts';
import { KFP_DATA_CHECK_TASK, KFP_PIPELINE_TASK } from './kfp.ts';

interface WorkflowStatusLike {
  status?: { nodes?: Record<string, { displayName?: string; templateName?: string; phase?: string; outputs?: { parameters?: { name: string; value?: string }[] } }> };
}

export interface DataCheckOutcome {
  changed: boolean;
  /** `runs: data changed since ...` or `skipped: data unchanged since the last successful run ...`. */
  message: string;
}

/** On KFP the check's outputs stay in ML Metadata, out of the Workflow: the run says what its condition decided. */
export const KFP_DATA_UNCHANGED_MESSAGE = `skipped: data unchanged since the last successful run (the ${KFP_DATA_CHECK_TASK} task's log names that run and when it was recorded)`;
export const KFP_DATA_CHANGED_MESSAGE = `runs: the data changed since the last successful run, or none was recorded yet (the ${KFP_DATA_CHECK_TASK} task's log says what changed)`;

/** Undefined for a Workflow without a data check, or before it decided. */
export function dataCheckOutcome(wf: WorkflowStatusLike): DataCheckOutcome | undefined {
  const nodes = Object.values(wf.status?.nodes ?? {});
  // Argo: the DataCheck node's output parameters.
  const node = nodes.find((n) => n.displayName === DATA_CHECK_TASK && n.outputs?.parameters);
  const value = (name: string) => node?.outputs?.parameters?.find((p) => p.name === name)?.value;
  const changed = value('changed');
  if (changed === 'true' || changed === 'false') return { changed: changed === 'true', message: value('message') ?? '' };
  // KFP: the `pipeline` sub-DAG runs only when the check's `changed` was 'true'; its driver decided, so its node is Skipped or started.
  const checked = nodes.some((n) => n.displayName === KFP_DATA_CHECK_TASK && n.phase === 'Succeeded');
  const pipeline = nodes.find((n) => n.displayName === KFP_PIPELINE_TASK && n.templateName?.startsWith(`comp-${KFP_PIPELINE_TASK}`));
  if (!checked || !pipeline || !pipeline.phase || pipeline.phase === 'Pending') return undefined;
  return pipeline.phase === 'Skipped' ? { changed: false, message: KFP_DATA_UNCHANGED_MESSAGE } : { changed: true, message: KFP_DATA_CHANGED_MESSAGE };
}
