/** Re-validates the document shortly after it changes (moving nodes changes no problem: no re-validation). */
import { catalog } from '../../node-catalog/index.ts';
import type { PipelineDocument, Problem } from '../../shared/pipeline/types.ts';
import { validatePipeline } from '../../shared/pipeline/validate.ts';
import { estimateDocument, estimateSourcesChanged } from '../estimate/liveEstimate.ts';
import { appStore } from '../store/index.ts';

export const VALIDATE_DELAY_MS = 120;

export function validateDocument(doc: PipelineDocument): Problem[] {
  try {
    const problems = validatePipeline(doc, catalog);
    return [...problems, ...estimateDocument(doc, problems)];
  } catch (error) {
    return [{ severity: 'error', code: 'validator-failed', message: String(error), location: {} }];
  }
}

let validated: PipelineDocument | null = null;

/** True when `next` differs from `prev` only in node positions (a drag): its problems cannot differ. */
export function onlyPositionsChanged(prev: PipelineDocument, next: PipelineDocument): boolean {
  const keys = Object.keys(next) as (keyof PipelineDocument)[];
  if (keys.length !== Object.keys(prev).length || next.nodes.length !== prev.nodes.length) return false;
  if (keys.some((k) => k !== 'nodes' && next[k] !== prev[k])) return false;
  return next.nodes.every((n, i) => {
    const p = prev.nodes[i];
    if (n === p) return true;
    const fields = Object.keys(n) as (keyof typeof n)[];
    return fields.length === Object.keys(p).length && fields.every((k) => k === 'position' || n[k] === p[k]);
  });
}

/** The current document's problems, validating now if the last result is stale (Run and Export ask this). */
export function problemsNow(): Problem[] {
  const { doc, setProblems } = appStore.getState();
  if (doc !== validated) {
    validated = doc;
    setProblems(validateDocument(doc));
  }
  return appStore.getState().problems;
}

/** Starts following the store; returns the function that stops it. */
export function startLiveValidation(delayMs = VALIDATE_DELAY_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    problemsNow();
  };
  run();
  const unsubscribe = appStore.subscribe((state, previous) => {
    // A drag changes the document on every frame; validating it then would only cost frames.
    const edited = state.doc !== previous.doc && !onlyPositionsChanged(previous.doc, state.doc);
    if (!edited) {
      if (!estimateSourcesChanged(state, previous)) return;
      validated = null;
    }
    clearTimeout(timer);
    timer = setTimeout(run, delayMs);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
