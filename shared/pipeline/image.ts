/**
 * Which container image a step runs in, and why. One function for the inspector, the compilers and
 * the validator, so they cannot disagree. Precedence (DESIGN.md, format v2): the node's own `image`;
 * else its type's default from the catalog; else the pipeline's `settings.image`; else BUILTIN_IMAGE.
 * Every catalog type but `python` names a default, so `settings.image` is the image of custom steps.
 */
import type { NodeTypeSpec } from './catalog.ts';
import type { PipelineNode, PipelineSettings } from './types.ts';

/** Where the image came from: set on the node, the type's default, the pipeline default, or Pipewright's own. */
export type ImageSource = 'node' | 'type' | 'pipeline' | 'builtin';

export interface StepImage {
  image: string;
  source: ImageSource;
}

/** The image of a step when neither node, type nor pipeline names one: any image with Python 3 runs a step. */
export const BUILTIN_IMAGE = 'python:3.11-slim';

const named = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

export function stepImage(node: Pick<PipelineNode, 'image'>, spec: Pick<NodeTypeSpec, 'image'> | undefined, settings: PipelineSettings | undefined): StepImage {
  if (named(node.image)) return { image: node.image, source: 'node' };
  if (spec && named(spec.image)) return { image: spec.image, source: 'type' };
  if (named(settings?.image)) return { image: settings.image, source: 'pipeline' };
  return { image: BUILTIN_IMAGE, source: 'builtin' };
}
