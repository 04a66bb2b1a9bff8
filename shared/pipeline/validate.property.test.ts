import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { arbitraryPipeline } from '../../test/fixtures/arbitraryPipeline.ts';
import { parsePipelineText, serializePipeline } from './load.ts';
import { resolveNode } from './resolve.ts';
import { validatePipeline } from './validate.ts';
import type { PipelineDocument } from './types.ts';

const RUNS = { numRuns: 200 };
const clone = (doc: PipelineDocument): PipelineDocument => structuredClone(doc);
const codes = (doc: PipelineDocument) => new Set(validatePipeline(doc, catalog).map((p) => p.code));

describe('random valid pipelines', () => {
  it('validate clean: no errors, no warnings', () => {
    fc.assert(
      fc.property(arbitraryPipeline(), (doc) => {
        expect(validatePipeline(doc, catalog)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('survive a save and a load unchanged', () => {
    fc.assert(
      fc.property(arbitraryPipeline(), (doc) => {
        const loaded = parsePipelineText(serializePipeline(doc));
        expect(loaded).toEqual({ ok: true, document: JSON.parse(JSON.stringify(doc)) });
      }),
      RUNS,
    );
  });
});

describe('random corruptions are refused with the right code', () => {
  it('a back edge makes a cycle', () => {
    fc.assert(
      fc.property(arbitraryPipeline({ minNodes: 2 }), fc.nat(), (doc, pick) => {
        fc.pre(doc.edges.length > 0);
        const bad = clone(doc);
        const edge = bad.edges[pick % bad.edges.length];
        bad.edges.push({ id: 'back', source: edge.target, sourceHandle: 'x', target: edge.source, targetHandle: 'y' });
        const cycle = validatePipeline(bad, catalog).find((p) => p.code === 'cycle');
        expect(cycle?.location.nodeIds).toEqual(expect.arrayContaining([edge.source, edge.target]));
      }),
      RUNS,
    );
  });

  it('a duplicated node id', () => {
    fc.assert(
      fc.property(arbitraryPipeline({ minNodes: 2 }), fc.nat(), fc.nat(), (doc, a, b) => {
        const bad = clone(doc);
        const [i, j] = [a % bad.nodes.length, b % bad.nodes.length];
        fc.pre(i !== j);
        bad.nodes[j].id = bad.nodes[i].id;
        expect(codes(bad)).toContain('node-id-duplicate');
      }),
      RUNS,
    );
  });

  it('a parameter beyond its range', () => {
    fc.assert(
      fc.property(arbitraryPipeline(), fc.nat(), fc.boolean(), (doc, pick, above) => {
        const bad = clone(doc);
        const ranged = bad.nodes.flatMap((node) =>
          (resolveNode(node, catalog)?.paramSpecs ?? [])
            .filter((s) => (s.type === 'number' || s.type === 'integer') && s.min !== undefined && s.max !== undefined)
            .map((spec) => ({ node, spec })),
        );
        fc.pre(ranged.length > 0);
        const { node, spec } = ranged[pick % ranged.length];
        node.params = { ...node.params, [spec.name]: above ? spec.max! + 1 : spec.min! - 1 };
        const problem = validatePipeline(bad, catalog).find((p) => p.code === 'param-out-of-range');
        expect(problem?.location).toEqual({ nodeId: node.id, param: spec.name });
      }),
      RUNS,
    );
  });

  it('an edge between ports of different kinds', () => {
    fc.assert(
      fc.property(arbitraryPipeline({ minNodes: 3 }), fc.nat(), fc.nat(), (doc, e, o) => {
        const bad = clone(doc);
        fc.pre(bad.edges.length > 0);
        const edge = bad.edges[e % bad.edges.length];
        const kindOf = (nodeId: string, handle: string, side: 'inputs' | 'outputs') =>
          resolveNode(bad.nodes.find((n) => n.id === nodeId)!, catalog)![side].find((p) => p.name === handle)!.kind;
        const targetKind = kindOf(edge.target, edge.targetHandle, 'inputs');
        const others = bad.nodes.flatMap((n) => resolveNode(n, catalog)!.outputs.filter((p) => p.kind !== targetKind).map((p) => ({ id: n.id, port: p.name })));
        fc.pre(others.length > 0);
        const other = others[o % others.length];
        Object.assign(edge, { source: other.id, sourceHandle: other.port });
        expect(codes(bad)).toContain('edge-kind-mismatch');
      }),
      RUNS,
    );
  });

  it('a required input losing its edge', () => {
    fc.assert(
      fc.property(arbitraryPipeline(), fc.nat(), (doc, pick) => {
        const bad = clone(doc);
        const required = bad.edges.filter((edge) => {
          const port = resolveNode(bad.nodes.find((n) => n.id === edge.target)!, catalog)!.inputs.find((p) => p.name === edge.targetHandle);
          return port && !port.optional;
        });
        fc.pre(required.length > 0);
        const dropped = required[pick % required.length];
        bad.edges = bad.edges.filter((e) => e !== dropped);
        const problem = validatePipeline(bad, catalog).find((p) => p.code === 'input-unconnected');
        expect(problem?.location).toEqual({ nodeId: dropped.target, field: `inputs.${dropped.targetHandle}` });
      }),
      RUNS,
    );
  });
});
