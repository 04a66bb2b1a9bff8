import { describe, expect, it } from 'vitest';
import { loadFixture, stubCatalog } from '../../test/fixtures/compileFixtures.ts';
import { compileArgo } from './argo.ts';
import { compileDvc } from './dvc.ts';
import { COMPILE_TARGETS, CompileError, compileTarget } from './index.ts';
import type { CompileTarget } from './index.ts';

describe('compileTarget', () => {
  const doc = loadFixture();

  it.each<[CompileTarget, string]>([
    ['kfp', 'pipeline.yaml'],
    ['argo', 'workflow.yaml'],
    ['dvc', 'dvc.yaml'],
  ])('compiles to %s, writing %s', (target, main) => {
    expect(Object.keys(compileTarget(doc, stubCatalog, target))).toContain(main);
  });

  it('gives the same files as the target compilers themselves', () => {
    expect(compileTarget(doc, stubCatalog, 'argo')).toEqual(compileArgo(doc, stubCatalog));
    expect(compileTarget(doc, stubCatalog, 'dvc')).toEqual(compileDvc(doc, stubCatalog));
    expect(COMPILE_TARGETS).toEqual(['kfp', 'argo', 'dvc']);
  });

  it('refuses an unknown target by name, and bad documents with a CompileError', () => {
    expect(() => compileTarget(doc, stubCatalog, 'airflow' as CompileTarget)).toThrow('unknown compile target "airflow": use kfp, argo, dvc');
    const bad = { ...doc, nodes: [...doc.nodes, { id: 'x', type: 'nope', position: { x: 0, y: 0 } }] };
    for (const target of COMPILE_TARGETS) expect(() => compileTarget(bad, stubCatalog, target)).toThrow(CompileError);
  });
});
