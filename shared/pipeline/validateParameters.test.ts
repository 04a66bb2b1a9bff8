import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { pipelineFromAscii } from '../../test/fixtures/asciiPipeline.ts';
import { checkParameterValue, parseParameterText, runParameterValues } from './parameters.ts';
import { validatePipeline } from './validate.ts';
import type { NodeParamValue, PipelineDocument, PipelineParameter, Problem } from './types.ts';

const DRAWING = 'raw:dataset -> cpt -> sft -> eval\nraw -> sft\nraw -> eval';

function doc(parameters: unknown[], params: Record<string, Record<string, NodeParamValue | object>> = {}): PipelineDocument {
  const base = pipelineFromAscii(DRAWING, { name: 'p' });
  base.nodes[0].params = { uri: 's3://b/ko.jsonl' };
  for (const node of base.nodes) if (params[node.id]) node.params = { ...node.params, ...(params[node.id] as Record<string, NodeParamValue>) };
  return { ...base, parameters: parameters as PipelineParameter[] };
}

const lr = (extra: object = {}) => ({ name: 'cpt_lr', type: 'number', default: 1e-5, ...extra });
const bindLr = { cpt: { learning_rate: { $param: 'cpt_lr' } } };
const found = (problems: Problem[]) => problems.map((p) => [p.code, p.location.nodeId ?? null, p.location.param ?? p.location.field ?? null]);

describe('pipeline parameters and bindings', () => {
  it('accepts a parameter bound to a node param of a fitting type, with a default in range', () => {
    expect(validatePipeline(doc([lr()], bindLr), catalog)).toEqual([]);
  });

  it.each<[string, unknown[], Record<string, Record<string, object>>, unknown[][]]>([
    ['a name with capitals', [lr({ name: 'CptLr' })], {}, [['parameter-invalid', null, 'parameters.0.name']]],
    ['a name with "-"', [lr({ name: 'cpt-lr' })], {}, [['parameter-invalid', null, 'parameters.0.name']]],
    ['a name starting with a digit', [lr({ name: '1lr' })], {}, [['parameter-invalid', null, 'parameters.0.name']]],
    ['an unknown type', [lr({ type: 'float' })], bindLr, [['parameter-invalid', null, 'parameters.0.type']]],
    ['a default of the wrong type', [lr({ default: '1e-5' })], bindLr, [['parameter-value-type', null, 'parameters.0.default']]],
    ['a fraction for an integer', [{ name: 'ep', type: 'integer', default: 1.5 }], { cpt: { num_epochs: { $param: 'ep' } } }, [['parameter-value-type', null, 'parameters.0.default']]],
    ['a control character in a string default', [{ name: 'bm', type: 'string', default: 'a\u0007b' }], { cpt: { base_model: { $param: 'bm' } } }, [['parameter-value-type', null, 'parameters.0.default']]],
    ['two parameters of one name', [lr(), lr()], bindLr, [['parameter-duplicate', null, 'parameters.1.name']]],
    ['a parameter named like a node', [lr({ name: 'cpt' })], { cpt: { learning_rate: { $param: 'cpt' } } }, [['parameter-name-taken', 'cpt', 'parameters.0.name']]],
    ['an unused parameter', [lr()], {}, [['parameter-unused', null, 'parameters.0.name']]],
    ['an unknown field', [lr({ min: 0 })], bindLr, [['field-unknown', null, 'parameters.0.min']]],
    ['a binding to a parameter that does not exist', [lr()], { cpt: { learning_rate: { $param: 'cpt_lrr' } } }, [['param-binding-unknown', 'cpt', 'learning_rate'], ['parameter-unused', null, 'parameters.0.name']]],
    ['a binding that is not a name', [lr()], { cpt: { learning_rate: { $param: 5 } } }, [['param-binding-invalid', 'cpt', 'learning_rate'], ['parameter-unused', null, 'parameters.0.name']]],
    ['a binding with another key', [lr()], { cpt: { learning_rate: { $param: 'cpt_lr', default: 1 } } }, [['param-binding-invalid', 'cpt', 'learning_rate'], ['parameter-unused', null, 'parameters.0.name']]],
    ['an integer node param bound to a number parameter', [lr()], { cpt: { num_epochs: { $param: 'cpt_lr' } } }, [['param-binding-type', 'cpt', 'num_epochs']]],
    ['a number bound to text', [{ name: 'lr', type: 'string', default: '1' }], { cpt: { learning_rate: { $param: 'lr' } } }, [['param-binding-type', 'cpt', 'learning_rate']]],
    ['a list bound to text', [{ name: 'mods', type: 'string', default: 'q_proj' }], { cpt: { target_modules: { $param: 'mods' } } }, [['param-binding-type', 'cpt', 'target_modules']]],
    ['a dataset param bound', [{ name: 'data', type: 'string', default: 's3://b/x' }], { raw: { uri: { $param: 'data' } } }, [['param-binding-not-allowed', 'raw', 'uri']]],
    ['a default above the bound param maximum', [lr({ default: 5 })], bindLr, [['param-out-of-range', 'cpt', 'learning_rate']]],
    ['a default outside the bound param choices', [{ name: 'prec', type: 'string', default: 'fp8' }], { cpt: { precision: { $param: 'prec' } } }, [['param-not-in-enum', 'cpt', 'precision']]],
  ])('reports %s', (_label, parameters, params, expected) => {
    expect(found(validatePipeline(doc(parameters, params), catalog))).toEqual(expected);
  });

  it('lets an integer parameter feed a number param, and an enum take a string parameter', () => {
    const parameters = [{ name: 'steps', type: 'integer', default: 3 }, { name: 'prec', type: 'string', default: 'fp16' }];
    expect(validatePipeline(doc(parameters, { cpt: { learning_rate: { $param: 'steps' }, precision: { $param: 'prec' } } }), catalog).map((p) => p.code)).toEqual(['param-out-of-range']);
  });

  it('checks the default against every param bound to it, naming each', () => {
    const problems = validatePipeline(doc([{ name: 'ep', type: 'integer', default: 2000 }], { cpt: { num_epochs: { $param: 'ep' } }, sft: { num_epochs: { $param: 'ep' } } }), catalog);
    expect(problems.map((p) => p.message)).toEqual([
      'The default of pipeline parameter "ep" is 2000, above its maximum 1000 (for num_epochs of node "cpt").',
      'The default of pipeline parameter "ep" is 2000, above its maximum 1000 (for num_epochs of node "sft").',
    ]);
  });

  it('suggests the parameter a misspelt binding meant', () => {
    const [p] = validatePipeline(doc([lr()], { cpt: { learning_rate: { $param: 'cpt_lrr' } } }), catalog);
    expect(p.message).toBe('Parameter learning_rate of node "cpt" is bound to pipeline parameter "cpt_lrr", which does not exist (did you mean "cpt_lr"?).');
  });

  it('a bound required param without a default counts as given (each run must give it)', () => {
    expect(validatePipeline(doc([{ name: 'model', type: 'string' }], { cpt: { base_model: { $param: 'model' } } }), catalog)).toEqual([]);
  });
});

describe('run-time values', () => {
  const d = doc([lr(), { name: 'ep', type: 'integer', default: 2 }, { name: 'model', type: 'string' }], {
    cpt: { learning_rate: { $param: 'cpt_lr' }, num_epochs: { $param: 'ep' }, base_model: { $param: 'model' } },
  });

  it('takes given values over defaults and asks for parameters without one', () => {
    expect(runParameterValues(d, catalog, { model: 'unsloth/Qwen2.5-0.5B', ep: 3 })).toEqual({ values: { cpt_lr: 1e-5, ep: 3, model: 'unsloth/Qwen2.5-0.5B' }, problems: [] });
    expect(runParameterValues(d, catalog, {}).problems).toEqual([{ parameter: 'model', message: 'Parameter model has no default, so each run must give it a value.' }]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown name, with a suggestion', { model: 'm', cpt_llr: 1 }, 'The pipeline has no parameter "cpt_llr" (did you mean "cpt_lr"?).'],
    ['a value of the wrong type', { model: 'm', ep: 'three' }, 'Parameter ep is "three", but it must be a whole number.'],
    ['a value out of the bound range', { model: 'm', cpt_lr: 2 }, 'Parameter cpt_lr is 2, above its maximum 1 (for learning_rate of node "cpt").'],
    ['a fraction for an integer', { model: 'm', ep: 2.5 }, 'Parameter ep is 2.5, but it must be a whole number.'],
  ])('refuses %s, naming the parameter', (_label, given, message) => {
    expect(runParameterValues(d, catalog, given).problems.map((p) => p.message)).toEqual([message]);
  });

  it('checks a value with the same function as the default', () => {
    const parameter = d.parameters![1];
    expect(checkParameterValue(d, catalog, parameter, 0)).toEqual([{ code: 'param-out-of-range', detail: 'is 0, below its minimum 1 (for num_epochs of node "cpt")', nodeId: 'cpt', param: 'num_epochs' }]);
  });

  it.each<[PipelineParameter['type'], string, unknown]>([
    ['number', '2e-5', { value: 2e-5 }],
    ['number', ' 0.5 ', { value: 0.5 }],
    ['number', '0x10', { error: '"0x10" is not a number' }],
    ['number', '', { error: '"" is not a number' }],
    ['number', 'Infinity', { error: '"Infinity" is not a number' }],
    ['number', '1e999', { error: '"1e999" is too large' }],
    ['integer', '3', { value: 3 }],
    ['integer', '3.5', { error: '"3.5" is not a whole number' }],
    ['integer', '9007199254740993', { error: '"9007199254740993" is not a whole number' }],
    ['boolean', 'True', { value: true }],
    ['boolean', 'yes', { error: '"yes" is not true or false' }],
    ['string', ' keep spaces ', { value: ' keep spaces ' }],
  ])('reads %s text %j', (type, text, expected) => {
    expect(parseParameterText(type, text)).toEqual(expected);
  });
});
