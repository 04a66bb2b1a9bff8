import { describe, expect, it } from 'vitest';
import { validatePipeline } from '../shared/pipeline/validate.ts';
import type { PipelineDocument, PipelineNode } from '../shared/pipeline/types.ts';
import { pipelineFromAscii } from '../test/fixtures/asciiPipeline.ts';
import { KNOWN_IMAGES } from './images.ts';
import { catalog } from './index.ts';
import { PYTHON_IMAGE, TRAINING_IMAGE } from './params.ts';

function pipeline(node: Partial<PipelineNode>, settings: PipelineDocument['settings'] = {}): PipelineDocument {
  const doc = pipelineFromAscii('raw:dataset -> cpt -> sft -> eval\nraw -> sft\nraw -> eval', { name: 'p', nodes: { sft: node } });
  doc.nodes[0].params = { uri: 's3://b/ko.jsonl' };
  return { ...doc, settings };
}
const imageWarnings = (doc: PipelineDocument) => validatePipeline(doc, catalog).filter((p) => p.code === 'image-lacks-packages').map((p) => p.location.nodeId);

describe('catalog images', () => {
  it('names the training image in one constant, and types default to it or to the slim Python image', () => {
    const images = Object.fromEntries([...catalog.types.values()].map((t) => [t.type, t.image]));
    expect(images).toMatchObject({ cpt: TRAINING_IMAGE, sft: TRAINING_IMAGE, eval: TRAINING_IMAGE, dataset: PYTHON_IMAGE, preprocess: PYTHON_IMAGE, deploy: PYTHON_IMAGE, python: '' });
    expect(KNOWN_IMAGES[0].repository).toBe(TRAINING_IMAGE.split(':')[0]);
  });

  it('knows the training image carries what every engine imports', () => {
    expect(imageWarnings(pipeline({ params: { engine: 'unsloth' } }))).toEqual([]);
  });
});

describe('validation warns when an image cannot run its engine', () => {
  it.each<[string, Partial<PipelineNode>, PipelineDocument['settings'], string[]]>([
    ['plain PyTorch, engine auto, 2 GPUs', { image: 'pytorch/pytorch:2.4.1-cuda12.1-cudnn9-runtime' }, {}, ['sft']],
    ['plain PyTorch, engine unsloth', { image: 'docker.io/pytorch/pytorch:latest', params: { engine: 'unsloth' } }, {}, ['sft']],
    ['plain PyTorch, engine transformers', { image: 'pytorch/pytorch', params: { engine: 'transformers' } }, {}, ['sft']],
    ['plain PyTorch, engine tiny (it has torch)', { image: 'pytorch/pytorch', params: { engine: 'tiny' } }, {}, []],
    ['plain PyTorch, engine auto, no GPUs (tiny engine)', { image: 'pytorch/pytorch', resources: { gpus: 0 } }, {}, []],
    ['slim Python, engine tiny (no torch)', { image: 'python:3.11-slim', params: { engine: 'tiny' }, resources: { gpus: 0 } }, {}, ['sft']],
    ['slim Python, engine auto, GPUs', { image: 'python:3.12-slim' }, {}, ['sft']],
    ['an image nobody knows', { image: 'acme/llm-train:7' }, {}, []],
    ['Unsloth’s own image', { image: 'unsloth/unsloth:2025.3' }, {}, []],
    ['the pipeline default does not reach a type with a default', {}, { image: 'pytorch/pytorch:2.4.1' }, []],
  ])('%s', (_label, node, settings, expected) => {
    expect(imageWarnings(pipeline(node, settings))).toEqual(expected);
  });

  it('eval on a GPU needs transformers, on CPU torch', () => {
    const doc = pipelineFromAscii('raw:dataset -> cpt -> eval\nraw -> eval', { name: 'p', nodes: { eval: { image: 'pytorch/pytorch:2' } } });
    doc.nodes[0].params = { uri: 's3://b/ko.jsonl' };
    expect(imageWarnings(doc)).toEqual(['eval']);
    doc.nodes.find((n) => n.id === 'eval')!.resources = { gpus: 0 };
    expect(imageWarnings(doc)).toEqual([]);
  });

  it('says which image, why it is used, what is missing and the fix', () => {
    const [warning] = validatePipeline(pipeline({ image: 'pytorch/pytorch:2.4.1-cuda12.1-cudnn9-runtime' }), catalog).filter((p) => p.code === 'image-lacks-packages');
    expect(warning).toMatchObject({ severity: 'warning', location: { nodeId: 'sft', field: 'image' } });
    expect(warning.message).toBe(
      'Node "sft" runs in pytorch/pytorch:2.4.1-cuda12.1-cudnn9-runtime (set on the node: PyTorch only, without transformers, peft or Unsloth), which lacks what engine "auto" with 2 GPUs imports: ' +
        `transformers, peft, trl, datasets, unsloth or transformers, peft. The step would fail on the cluster; clear the node's image to use the type's default (${TRAINING_IMAGE}) or use an image that has them.`,
    );
  });
});
