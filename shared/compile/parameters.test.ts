/**
 * Run-time pipeline parameters in each compiler: the korean-llm template with cpt's learning rate, epochs
 * and the eval's max_samples bound to pipeline parameters, compiled with and without a run's values.
 */
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { catalog } from '../../node-catalog/index.ts';
import { loadTemplate } from '../../test/fixtures/kfp-emulation.ts';
import { argoWorkflowCheck, dvcYamlCheck } from '../../test/fixtures/schemaCheck.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { compileTarget } from './index.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function boundTemplate(): PipelineDocument {
  const doc = loadTemplate('korean-llm');
  doc.parameters = [
    { name: 'cpt_learning_rate', type: 'number', default: 2e-5, description: 'CPT learning rate' },
    { name: 'epochs', type: 'integer', default: 1 },
    { name: 'eval_samples', type: 'integer' },
    { name: 'note', type: 'string', default: 'x' },
  ];
  const cpt = doc.nodes.find((n) => n.id === 'cpt')!;
  cpt.params = { ...cpt.params, learning_rate: { $param: 'cpt_learning_rate' }, num_epochs: { $param: 'epochs' } };
  const sft = doc.nodes.find((n) => n.id === 'sft')!;
  sft.params = { ...sft.params, num_epochs: { $param: 'epochs' } };
  const evalNode = doc.nodes.find((n) => n.id === 'eval')!;
  evalNode.params = { ...evalNode.params, max_samples: { $param: 'eval_samples' } };
  return doc;
}

describe('KFP', () => {
  const [pipeline] = parseAllDocuments(compileTarget(boundTemplate(), catalog, 'kfp')['pipeline.yaml']).map((d) => d.toJS()) as Json[];

  it('declares every pipeline parameter on the root as the KFP SDK does', () => {
    expect(pipeline.root.inputDefinitions.parameters).toEqual({
      cpt_learning_rate: { parameterType: 'NUMBER_DOUBLE', defaultValue: 2e-5, isOptional: true, description: 'CPT learning rate' },
      epochs: { parameterType: 'NUMBER_INTEGER', defaultValue: 1, isOptional: true },
      eval_samples: { parameterType: 'NUMBER_INTEGER' },
      note: { parameterType: 'STRING', defaultValue: 'x', isOptional: true },
    });
  });

  it('wires bound params with componentInputParameter, the rest stay constants; the executor reads the placeholder', () => {
    const tasks = pipeline.root.dag.tasks;
    expect(tasks.cpt.inputs.parameters.learning_rate).toEqual({ componentInputParameter: 'cpt_learning_rate' });
    expect(tasks.cpt.inputs.parameters.num_epochs).toEqual({ componentInputParameter: 'epochs' });
    expect(tasks.sft.inputs.parameters.num_epochs).toEqual({ componentInputParameter: 'epochs' });
    expect(tasks.eval.inputs.parameters.max_samples).toEqual({ componentInputParameter: 'eval_samples' });
    expect(tasks.sft.inputs.parameters.learning_rate.runtimeValue).toBeDefined();
    const component = pipeline.components[tasks.cpt.componentRef.name];
    expect(component.inputDefinitions.parameters.learning_rate).toEqual({ parameterType: 'NUMBER_DOUBLE' });
    const args: string[] = pipeline.deploymentSpec.executors[component.executorLabel].container.args;
    expect(args[args.indexOf('--learning_rate') + 1]).toBe("{{$.inputs.parameters['learning_rate']}}");
  });
});

describe('Argo', () => {
  const check = argoWorkflowCheck();
  const workflowOf = (values?: Record<string, number>) => parse(compileTarget(boundTemplate(), catalog, 'argo', values)['workflow.yaml']) as Json;

  it('has one argument per parameter (default, description; none without one) and validates against the schema', () => {
    const wf = workflowOf();
    expect(check(wf)).toEqual([]);
    const args = wf.spec.arguments.parameters as Json[];
    expect(args.slice(0, 4)).toEqual([
      { name: 'cpt_learning_rate', value: '0.00002', description: 'CPT learning rate' },
      { name: 'epochs', value: '1' },
      { name: 'eval_samples' },
      { name: 'note', value: 'x' },
    ]);
  });

  it('takes a run value in place of the default; bound step arguments are the whole placeholder', () => {
    const wf = workflowOf({ cpt_learning_rate: 3e-4, eval_samples: 50 });
    expect(check(wf)).toEqual([]);
    const byName = Object.fromEntries((wf.spec.arguments.parameters as Json[]).map((p) => [p.name, p.value]));
    expect(byName).toMatchObject({ cpt_learning_rate: '0.0003', epochs: '1', eval_samples: '50' });
    const cptArgs: string[] = wf.spec.templates.find((t: Json) => t.name === 'cpt').container.args;
    expect(cptArgs[cptArgs.indexOf('--learning_rate') + 1]).toBe('{{workflow.parameters.cpt_learning_rate}}');
    expect(cptArgs[cptArgs.indexOf('--num_epochs') + 1]).toBe('{{workflow.parameters.epochs}}');
  });
});

describe('DVC', () => {
  const check = dvcYamlCheck();

  it('writes the parameters at params.yaml top level, lists them in the stages and validates against the schema', () => {
    const files = compileTarget(boundTemplate(), catalog, 'dvc', { eval_samples: 7 });
    const dvc = parse(files['dvc.yaml']) as Json;
    expect(check(dvc)).toEqual([]);
    const params = parse(files['params.yaml']) as Json;
    expect(params).toMatchObject({ cpt_learning_rate: 2e-5, epochs: 1, eval_samples: 7, note: 'x' });
    expect(params.cpt).not.toHaveProperty('learning_rate');
    expect(params.cpt.seed).toBeDefined();
    expect(dvc.stages.cpt.params).toContain('cpt_learning_rate');
    expect(dvc.stages.cpt.params).toContain('epochs');
    expect(dvc.stages.cpt.params).not.toContain('cpt.learning_rate');
    expect(dvc.stages.cpt.cmd).toContain('--params-binding learning_rate=cpt_learning_rate --params-binding num_epochs=epochs');
    // Every params: key is present in params.yaml (DVC refuses a stage listing a missing one).
    for (const stage of Object.values(dvc.stages) as Json[]) {
      for (const key of (stage.params ?? []) as string[]) expect(key.split('.').reduce((o: Json | undefined, k) => o?.[k], params), key).toBeDefined();
    }
  });
});
