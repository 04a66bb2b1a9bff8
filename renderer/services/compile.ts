/** Compiled output for the Output pane and Export, never throwing: a failure is a message. */
import { catalog } from '../../node-catalog/index.ts';
import { compileTarget } from '../../shared/compile/index.ts';
import type { CompiledFiles } from '../../shared/compile/types.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { OutputTarget } from '../store/uiSlice.ts';

export type CompileOutcome = { ok: true; files: CompiledFiles } | { ok: false; message: string };

export function compileDocument(doc: PipelineDocument, target: OutputTarget): CompileOutcome {
  try {
    return { ok: true, files: compileTarget(doc, catalog, target) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** The main file of each target, shown first. */
export const MAIN_FILE: Record<OutputTarget, string> = { kfp: 'pipeline.yaml', argo: 'workflow.yaml', dvc: 'dvc.yaml' };

export function orderedFileNames(files: CompiledFiles, target: OutputTarget): string[] {
  return Object.keys(files).sort((a, b) => {
    if (a === MAIN_FILE[target]) return -1;
    if (b === MAIN_FILE[target]) return 1;
    return a.localeCompare(b);
  });
}
