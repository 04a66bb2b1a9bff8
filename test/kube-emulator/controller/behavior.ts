/** How a step's pod behaves: its log lines, timing and ending. Tests script it; otherwise it is derived from the template. */

export type StepOutcome = 'succeed' | 'fail' | 'oomKilled';

export interface StepBehavior {
  /** The `main` container's log lines (replacing the default script). */
  lines?: string[];
  /** Emulated ms between log lines (default 100); 0: all at once (500 a tick). */
  lineIntervalMs?: number;
  /** Emulated ms pulling the image and creating containers after scheduling (default 1000). */
  startDelayMs?: number;
  /** Emulated ms the pod sits Unschedulable (condition, FailedScheduling event) before it is scheduled. */
  unschedulableMs?: number;
  /** Emulated ms of ErrImagePull / ImagePullBackOff before the image pulls; Infinity: it never does. */
  imagePullBackOffMs?: number;
  /** How the main container ends (default 'succeed'). */
  outcome?: StepOutcome;
  /** Exit code for 'fail' (default 1). */
  exitCode?: number;
  /** The outcome happens after this many lines (default: after all of them). */
  afterLines?: number;
  /** The container crashes (exit 1) and restarts this many times, in CrashLoopBackOff between, before its last run. */
  crashLoops?: number;
  /**
   * Execute mode only (the emulator started with `execute`): the container is SIGKILLed (exit 137, as when
   * its node is lost or the pod is evicted) at the first log line matching this regular expression.
   */
  killWhenLine?: string;
  /** Per retry attempt: attempt i uses `{...this, ...attempts[min(i, last)]}`. */
  attempts?: StepBehavior[];
}

/** Which steps a scripted behavior applies to. */
export interface StepSelector {
  /** Workflow name, or its generateName prefix; omitted: any workflow. */
  workflow?: string;
  /** Task name (for KFP: the pipeline task, whose `.executor` pod runs), display name or template name. */
  step: string;
}

export interface ScriptedBehavior {
  selector: StepSelector;
  behavior: StepBehavior;
}

/** Annotation a Workflow may carry: JSON `{ "<step>": StepBehavior }` (so kubectl-created workflows can be scripted too). */
export const BEHAVIOR_ANNOTATION = 'pipewright.dev/emulator-steps';

export function behaviorForAttempt(behavior: StepBehavior, attempt: number): StepBehavior {
  const { attempts, ...base } = behavior;
  if (!attempts?.length) return base;
  return { ...base, ...attempts[Math.min(attempt, attempts.length - 1)] };
}

export function workflowMatches(selector: StepSelector, workflowName: string, generateName?: string): boolean {
  if (!selector.workflow) return true;
  return selector.workflow === workflowName || selector.workflow === generateName || (selector.workflow.endsWith('-') && workflowName.startsWith(selector.workflow));
}
