/** One entry point for every target: the CLI, the app's output pane and the runners call this. */
import type { NodeCatalog } from '../pipeline/catalog.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { compileArgo } from './argo.ts';
import { compileDvc } from './dvc.ts';
import { compileKfp } from './kfp.ts';
import type { CompiledFiles } from './types.ts';
import type { ParameterValues } from '../pipeline/parameters.ts';

export type CompileTarget = 'kfp' | 'argo' | 'dvc';
export const COMPILE_TARGETS: readonly CompileTarget[] = ['kfp', 'argo', 'dvc'];

const compilers: Record<CompileTarget, (doc: PipelineDocument, catalog: NodeCatalog, values?: ParameterValues) => CompiledFiles> = {
  // KFP takes a run's values when the run is created (runtime_config), not in the IR.
  kfp: (doc, catalog) => compileKfp(doc, catalog),
  argo: compileArgo,
  dvc: compileDvc,
};

/** The files of `target` for `doc`, keyed by path relative to the output folder. Throws CompileError on input it cannot compile. */
/** `parameterValues`: pipeline parameter values to write in place of the defaults (Argo's arguments, DVC's params.yaml). */
export function compileTarget(doc: PipelineDocument, catalog: NodeCatalog, target: CompileTarget, parameterValues?: ParameterValues): CompiledFiles {
  const compile = compilers[target];
  if (!compile) throw new Error(`unknown compile target ${JSON.stringify(target)}: use ${COMPILE_TARGETS.join(', ')}`);
  return compile(doc, catalog, parameterValues);
}

export { compileArgo, compileDvc, compileKfp };
export { CompileError } from './plan.ts';
export type { CompiledFiles };
