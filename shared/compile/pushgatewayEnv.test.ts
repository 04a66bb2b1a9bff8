/** settings.pushgatewayUrl reaches every step of every target: env on Argo and KFP, params.yaml's `_pipewright` section for DVC. */
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { dvcYamlCheck } from '../../test/fixtures/schemaCheck.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { catalog } from '../../node-catalog/index.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { compileTarget } from './index.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const URL = 'http://pushgateway.monitoring.svc:9091';

function smoke(pushgatewayUrl?: string): PipelineDocument {
  const doc = templateDocument('korean-llm-smoke')!;
  return { ...doc, settings: { ...doc.settings, ...(pushgatewayUrl ? { pushgatewayUrl } : {}) } };
}

const envOf = (env: Json[] | undefined) => Object.fromEntries((env ?? []).map((e) => [e.name, e.value]));

describe('PIPEWRIGHT_PUSHGATEWAY_URL in the compiled output', () => {
  it('argo: every container gets the URL and the pipeline name', () => {
    const workflow = parse(compileTarget(smoke(URL), catalog, 'argo')['workflow.yaml']) as Json;
    const containers = (workflow.spec.templates as Json[]).filter((t) => t.container);
    expect(containers).toHaveLength(smoke().nodes.length);
    for (const t of containers) {
      expect(envOf(t.container.env)).toMatchObject({ PIPEWRIGHT_PUSHGATEWAY_URL: URL, PIPEWRIGHT_PIPELINE: 'korean-llm-smoke', PIPEWRIGHT_NODE_ID: t.name, PIPEWRIGHT_RUN_ID: '{{workflow.name}}' });
    }
  });

  it('kfp: every container executor gets the URL, and its run id from the pod label KFP sets', () => {
    const [pipeline, platform] = parseAllDocuments(compileTarget(smoke(URL), catalog, 'kfp')['pipeline.yaml']).map((d) => d.toJS() as Json);
    const executors = Object.entries(pipeline.deploymentSpec.executors as Record<string, Json>).filter(([, e]) => e.container);
    expect(executors.length).toBeGreaterThan(3);
    for (const [label, executor] of executors) {
      expect(envOf(executor.container.env)).toMatchObject({ PIPEWRIGHT_PUSHGATEWAY_URL: URL, PIPEWRIGHT_PIPELINE: 'korean-llm-smoke' });
      expect(platform.platforms.kubernetes.deploymentSpec.executors[label].fieldPathAsEnv).toEqual([{ name: 'PIPEWRIGHT_RUN_ID', fieldPath: "metadata.labels['pipeline/runid']" }]);
    }
  });

  it('dvc: params.yaml carries it in `_pipewright`, which no stage lists, so changing it reruns nothing', () => {
    const files = compileTarget(smoke(URL), catalog, 'dvc');
    const params = JSON.parse(files['params.yaml']) as Json;
    expect(params._pipewright).toEqual({ pipeline: 'korean-llm-smoke', pushgateway_url: URL });
    const dvc = parse(files['dvc.yaml']) as Json;
    expect(dvcYamlCheck()(dvc)).toEqual([]);
    for (const stage of Object.values(dvc.stages as Record<string, Json>)) expect((stage.params ?? []).some((p: string) => p.startsWith('_pipewright'))).toBe(false);
    const without = compileTarget(smoke(), catalog, 'dvc');
    expect(without['dvc.yaml']).toBe(files['dvc.yaml']);
  });

  it('nothing of it without the setting', () => {
    const workflow = parse(compileTarget(smoke(), catalog, 'argo')['workflow.yaml']) as Json;
    for (const t of (workflow.spec.templates as Json[]).filter((x) => x.container)) expect(envOf(t.container.env).PIPEWRIGHT_PUSHGATEWAY_URL).toBeUndefined();
    const [pipeline, platform] = parseAllDocuments(compileTarget(smoke(), catalog, 'kfp')['pipeline.yaml']).map((d) => d.toJS() as Json);
    for (const e of Object.values(pipeline.deploymentSpec.executors as Record<string, Json>)) expect(envOf(e.container?.env).PIPEWRIGHT_PUSHGATEWAY_URL).toBeUndefined();
    expect(JSON.stringify(platform ?? {})).not.toContain('fieldPathAsEnv');
    expect(JSON.parse(compileTarget(smoke(), catalog, 'dvc')['params.yaml'])._pipewright).toBeUndefined();
  });
});
