import { describe, expect, it } from 'vitest';
import type { PipelineDocument, Problem } from '../../shared/pipeline/types.ts';
import { problemText, problemWhere } from '../i18n/problems.ts';
import type { FieldDraft } from './fieldDrafts.ts';
import { DRAFT_CODE, draftKey, draftProblem, isDraftProblem, liveDrafts, mergeProblems, withoutParameterRow } from './fieldDrafts.ts';
import { fieldDomId, fieldRefOf, problemsForField } from './fieldKeys.ts';

const gpus: FieldDraft = { nodeId: 'sft', field: 'resources.gpus', label: 'GPUs', text: 'abc', message: '“abc” is not a number.', saved: '2' };
const stall: FieldDraft = { nodeId: null, field: 'settings.alerts.stall.minutes', label: 'Stall: minutes', text: 'soon', message: '“soon” is not a number.', saved: '' };
const paramDefault: FieldDraft = { nodeId: null, field: 'parameters.1.default', label: 'Default', text: 'x', message: 'not an integer', saved: '3' };
const validator: Problem = { severity: 'error', code: 'param-required', message: 'Parameter uri of node "data" is required', location: { nodeId: 'data', param: 'uri' } };

const doc = (nodeIds: string[], parameters = 0): PipelineDocument => ({
  format: 'pipewright.pipeline/v2',
  name: 'p',
  nodes: nodeIds.map((id) => ({ id, type: 'sft', position: { x: 0, y: 0 } })),
  edges: [],
  parameters: Array.from({ length: parameters }, (_, i) => ({ name: `p${i}`, type: 'integer' as const })),
});

describe('field drafts as problems', () => {
  it('a node draft is an error at its node and field, naming both, the reason and the value still in use', () => {
    const p = draftProblem(gpus);
    expect(p).toMatchObject({ severity: 'error', code: DRAFT_CODE, location: { nodeId: 'sft', field: 'resources.gpus' } });
    expect(p.message).toBe('Node "sft", GPUs: not saved. “abc” is not a number. The step still uses 2; correct the field, or press Esc in it to go back to that.');
    expect(isDraftProblem(p)).toBe(true);
    expect(problemWhere(p)).toBe('sft · resources.gpus');
    // The inspector field finds it as its own problem (clicking it focuses that field).
    expect(problemsForField([p], 'sft', 'resources.gpus')).toEqual([p]);
    expect(problemsForField([p], 'cpt', 'resources.gpus')).toEqual([]);
  });

  it('a pipeline draft names the pipeline settings, and an empty saved value as the default', () => {
    const p = draftProblem(stall);
    expect(p.location).toEqual({ field: 'settings.alerts.stall.minutes' });
    expect(p.message).toContain('Pipeline settings, Stall: minutes: not saved. “soon” is not a number.');
    expect(p.message).toContain('still uses no value (the default)');
  });

  it('Korean text names the node, the field and the saved value', () => {
    const ko = problemText(draftProblem(gpus), 'ko');
    expect(ko).toContain('노드 "sft"의 GPUs: 저장되지 않았습니다. “abc” is not a number.');
    expect(ko).toContain('여전히 2 값을');
    expect(problemText(draftProblem(stall), 'ko')).toContain('파이프라인 설정의 Stall: minutes');
    expect(problemText(draftProblem(gpus), 'en')).toBe(draftProblem(gpus).message);
  });

  it('merge lists drafts first, keeps the validator list itself when there are none', () => {
    const list = [validator];
    expect(mergeProblems(list, {})).toBe(list);
    const merged = mergeProblems(list, { [draftKey('sft', 'resources.gpus')]: gpus, [draftKey(null, stall.field)]: stall });
    expect(merged.map((p) => p.code)).toEqual([DRAFT_CODE, DRAFT_CODE, 'param-required']);
    expect(merged[2]).toBe(validator);
  });

  it('drafts of deleted nodes and removed parameter rows are dropped; others kept as they are', () => {
    const drafts = { [draftKey('sft', gpus.field)]: gpus, [draftKey(null, stall.field)]: stall, [draftKey(null, paramDefault.field)]: paramDefault };
    expect(liveDrafts(drafts, doc(['sft'], 2))).toBe(drafts);
    expect(Object.values(liveDrafts(drafts, doc(['cpt'], 2)))).toEqual([stall, paramDefault]);
    expect(Object.values(liveDrafts(drafts, doc(['sft'], 1)))).toEqual([gpus, stall]);
  });

  it("a Python step's draft for a parameter it no longer declares is dropped", () => {
    const py: FieldDraft = { ...gpus, nodeId: 'py', field: 'params.alpha' };
    const res: FieldDraft = { ...gpus, nodeId: 'py' };
    const drafts = { [draftKey('py', py.field)]: py, [draftKey('py', res.field)]: res };
    const withIface = (names: string[]): PipelineDocument => ({
      ...doc([]),
      nodes: [{ id: 'py', type: 'python', position: { x: 0, y: 0 }, interface: { inputs: [], outputs: [], parameters: names.map((name) => ({ name, type: 'number' as const, title: { en: name, ko: name }, help: { en: '', ko: '' } })) } }],
    });
    expect(liveDrafts(drafts, withIface(['alpha']))).toBe(drafts);
    expect(Object.values(liveDrafts(drafts, withIface(['beta'])))).toEqual([res]);
  });

  it('removing a pipeline parameter row drops its drafts and moves the rows below up', () => {
    const row = (i: number, part: string): FieldDraft => ({ ...paramDefault, field: `parameters.${i}.${part}`, text: `${i}${part}` });
    const drafts = Object.fromEntries([row(0, 'name'), row(1, 'default'), row(2, 'name'), row(12, 'default'), gpus].map((d) => [draftKey(d.nodeId, d.field), d]));
    const next = withoutParameterRow(drafts, 1);
    expect(Object.values(next).map((d) => [d.field, d.text])).toEqual([
      ['parameters.0.name', '0name'],
      ['parameters.1.name', '2name'],
      ['parameters.11.default', '12default'],
      ['resources.gpus', 'abc'],
    ]);
    expect(next[draftKey(null, 'parameters.1.name')]?.text).toBe('2name');
  });

  it('a control finds the node and field its id was made from', () => {
    expect(fieldRefOf(fieldDomId('sft', 'params.learning_rate'))).toEqual({ nodeId: 'sft', key: 'params.learning_rate' });
    expect(fieldRefOf(fieldDomId(null, 'settings.alerts.stall.minutes'))).toEqual({ nodeId: null, key: 'settings.alerts.stall.minutes' });
    expect(fieldRefOf('run-namespace')).toBeUndefined();
  });
});
