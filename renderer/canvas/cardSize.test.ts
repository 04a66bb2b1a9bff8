import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import type { ParamSpec, PipelineNode } from '../../shared/pipeline/types.ts';
import { estimateCardSize } from './cardSize.ts';

// An empty card (title row and label) as headless Chromium draws it here; the expected heights are the sizes it measured.
const base = { width: 230, height: 59 };
const node = (type: string, extra: Partial<PipelineNode> = {}): PipelineNode => ({ id: 'n', type, position: { x: 0, y: 0 }, ...extra });

describe('estimateCardSize', () => {
  it.each([
    ['dataset', 145],
    ['preprocess', 145],
    ['cpt', 182], // two output rows since cpt writes its final metrics too
    ['sft', 182],
    ['eval', 165],
  ])('a %s card is %i px high, as rendered', (type, height) => {
    expect(estimateCardSize(node(type), catalog, base)).toEqual({ width: 230, height });
  });

  it('a Python card shows at most three of its parameters', () => {
    const param = (name: string): ParamSpec => ({ name, type: 'string', title: { en: name, ko: name }, help: { en: '', ko: '' } });
    const two = estimateCardSize(node('python', { interface: { inputs: [], outputs: [], parameters: [param('a'), param('b')] } }), catalog, base);
    const five = estimateCardSize(node('python', { interface: { inputs: [], outputs: [], parameters: ['a', 'b', 'c', 'd', 'e'].map(param) } }), catalog, base);
    expect(five!.height - two!.height).toBe(17);
  });

  it('has no estimate for a type the catalog does not know (that card is measured as before)', () => {
    expect(estimateCardSize(node('no-such-type'), catalog, base)).toBeUndefined();
  });
});
