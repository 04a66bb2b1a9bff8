/** The estimate's context for a command: local model configs and dataset sizes, the app's settings and run history (same data dir). */
import path from 'node:path';
import { catalog } from '../../node-catalog/index.ts';
import { contextFrom, estimateInputsNeeded } from '../../shared/estimate/context.ts';
import type { EstimateContext } from '../../shared/estimate/types.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { runsDir } from '../services/dataDir.ts';
import { readEstimateInputs } from '../services/estimate/inputs.ts';
import { RunHistory } from '../services/runs/history.ts';
import { createSettingsStore } from '../services/settings.ts';
import { dataDirOf } from './runtime.ts';
import type { CliIo } from './types.ts';

export async function estimateContextFor(io: CliIo, doc: PipelineDocument, file: string, gpuProductOverride?: string): Promise<EstimateContext> {
  const dataDir = dataDirOf(io);
  const documentPath = path.resolve(io.cwd, file);
  const [inputs, settings, runs] = await Promise.all([
    readEstimateInputs(estimateInputsNeeded(doc, catalog, documentPath), io.cwd),
    createSettingsStore(dataDir).getSettings(),
    new RunHistory(runsDir(dataDir)).list(),
  ]);
  return contextFrom({ inputs, settings, runs, pipelineName: doc.name, gpuProductOverride });
}
