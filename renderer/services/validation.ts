/** Re-validates the document shortly after it changes (a drag in progress re-validates once, at its end). */
import { catalog } from '../../node-catalog/index.ts';
import type { PipelineDocument, Problem } from '../../shared/pipeline/types.ts';
import { validatePipeline } from '../../shared/pipeline/validate.ts';
import { appStore } from '../store/index.ts';

export const VALIDATE_DELAY_MS = 120;

export function validateDocument(doc: PipelineDocument): Problem[] {
  try {
    return validatePipeline(doc, catalog);
  } catch (error) {
    return [{ severity: 'error', code: 'validator-failed', message: String(error), location: {} }];
  }
}

let validated: PipelineDocument | null = null;

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
    if (state.doc === previous.doc) return;
    clearTimeout(timer);
    timer = setTimeout(run, delayMs);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
