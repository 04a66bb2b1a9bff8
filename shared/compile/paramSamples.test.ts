/** A bundled sample named in a step's parameter (`sample://NAME`, e.g. ko-bench's data_uri) ships with that step, or the compile says why not. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createCatalog, catalog } from '../../node-catalog/index.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { compileTarget } from './index.ts';
import type { CompileError } from './plan.ts';

const samples = { 'bench-a': '{"format": "pipewright.sample-folder/v1", "files": {}}\n', 'bench-b': 'b\n' };
const cat = createCatalog([...catalog.types.values()].map((t) => ({ ...t, script: '# step\n' })), samples);

function doc(dataUri: string, extra: Record<string, unknown> = {}): PipelineDocument {
  return {
    format: 'pipewright.pipeline/v2',
    name: 'param-samples',
    nodes: [
      { id: 'corpus', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://bucket/corpus' } },
      { id: 'cpt', type: 'cpt', position: { x: 0, y: 0 }, params: { engine: 'tiny' } },
      { id: 'bench', type: 'ko-bench', position: { x: 0, y: 0 }, params: { data_uri: dataUri, ...extra } },
    ],
    edges: [
      { id: 'e1', source: 'corpus', sourceHandle: 'dataset', target: 'cpt', targetHandle: 'dataset' },
      { id: 'e2', source: 'cpt', sourceHandle: 'model', target: 'bench', targetHandle: 'model' },
    ],
  };
}

describe('a sample named in a step parameter', () => {
  it('DVC writes it under samples/ and makes it a dependency of the stage', () => {
    const files = compileTarget(doc('sample://bench-a'), cat, 'dvc');
    expect(files['samples/bench-a']).toBe(samples['bench-a']);
    expect(files['samples/bench-b']).toBeUndefined();
    const stages = (parse(files['dvc.yaml']) as { stages: Record<string, { deps: string[] }> }).stages;
    expect(stages.bench.deps).toContain('samples/bench-a');
    expect(stages.cpt.deps).not.toContain('samples/bench-a');
  });

  it('Argo and KFP hand it to the launcher in the step\'s command', () => {
    const argo = compileTarget(doc('sample://bench-b'), cat, 'argo')['workflow.yaml'];
    expect(argo).toContain('--pipewright-sample=bench-b');
    const kfp = compileTarget(doc('sample://bench-b'), cat, 'kfp')['pipeline.yaml'];
    expect(kfp).toContain('--pipewright-sample=bench-b');
    expect(compileTarget(doc(''), cat, 'kfp')['pipeline.yaml']).not.toContain('--pipewright-sample=bench');
  });

  it.each(['dvc', 'argo', 'kfp'] as const)('%s refuses an unknown sample, naming the node and the parameter', (target) => {
    const compile = () => compileTarget(doc('sample://nope'), cat, target);
    expect(compile).toThrow('node "bench": unknown sample "nope" (known: bench-a, bench-b)');
    try {
      compile();
    } catch (error) {
      expect((error as CompileError).location).toEqual({ nodeId: 'bench', param: 'data_uri' });
    }
  });

  it('refuses a sample name that is not a plain file name', () => {
    expect(() => compileTarget(doc('sample://../etc/passwd'), cat, 'argo')).toThrow(/node "bench": parameter data_uri names sample "..\/etc\/passwd", which is not a plain file name/);
  });
});
