/**
 * What a training step needs from every target besides its script: how many GPUs it has (the step starts
 * one process per GPU), which image it runs in (named when that image cannot train), and, on cluster
 * targets with the `checkpointPvc` setting, the volume its checkpoints go to so a retried pod resumes.
 */
import { stepImage } from '../pipeline/image.ts';
import type { PipelineSettings } from '../pipeline/types.ts';
import type { PlannedNode } from './plan.ts';

/** Where the checkpoint PVC is mounted; a step checkpoints under `<run id>/<node id>` inside it. */
export const CHECKPOINT_MOUNT = '/pipewright/checkpoints';
export const CHECKPOINT_VOLUME = 'pipewright-checkpoints';

export interface EnvVar {
  name: string;
  value: string;
}

const gpusOf = (p: PlannedNode): number => {
  const gpus = p.resolved.resources.gpus;
  return typeof gpus === 'number' && gpus > 0 ? gpus : 0;
};

/** The PVC a step checkpoints to: training steps of a document with `checkpointPvc`. */
export function checkpointPvc(p: PlannedNode, settings: PipelineSettings): string | undefined {
  return p.resolved.spec.category === 'training' && settings.checkpointPvc ? settings.checkpointPvc : undefined;
}

/** PIPEWRIGHT_GPUS and PIPEWRIGHT_IMAGE for a step with GPUs; PIPEWRIGHT_CHECKPOINT_ROOT when it checkpoints to the PVC. */
export function trainingEnv(p: PlannedNode, settings: PipelineSettings): EnvVar[] {
  const env: EnvVar[] = [];
  const gpus = gpusOf(p);
  if (gpus > 0) {
    env.push({ name: 'PIPEWRIGHT_GPUS', value: String(gpus) });
    env.push({ name: 'PIPEWRIGHT_IMAGE', value: stepImage(p.resolved.node, p.resolved.spec, settings).image });
  }
  if (checkpointPvc(p, settings)) env.push({ name: 'PIPEWRIGHT_CHECKPOINT_ROOT', value: CHECKPOINT_MOUNT });
  return env;
}
