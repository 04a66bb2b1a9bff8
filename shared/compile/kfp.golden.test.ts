import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KFP_GOLDEN_DIR, KFP_REFERENCE_DIR, kfpStubCatalog, loadTemplate, readKfpYaml } from '../../test/fixtures/kfp-emulation.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { compileKfp } from './kfp.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// PyYAML reads them as the KFP SDK does (pipeline_with_secret_as_env.yaml is indented more loosely than js `yaml` accepts).
const READ_ALL = 'import json, sys, yaml\nprint(json.dumps({f: list(yaml.safe_load_all(open(f, encoding="utf-8"))) for f in sys.argv[1:]}))';
const referenceFiles = readdirSync(KFP_REFERENCE_DIR).filter((f) => f.endsWith('.yaml'));
const read = spawnSync('/usr/bin/python3', ['-c', READ_ALL, ...referenceFiles], { cwd: KFP_REFERENCE_DIR, encoding: 'utf8' });
const references = JSON.parse(read.stdout) as Record<string, Json[]>;
const ref = (file: string, index = 0): Json => references[file][index];

// Maps whose keys are names (components, tasks, parameters, label keys...), not fields.
const NAMED = new Set(['components', 'executors', 'tasks', 'parameters', 'artifacts', 'labels', 'platforms']);

/** Every field path with the type found there; names in named maps become `*`, list items `[]`. */
function shape(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    out.set(path, 'list');
    for (const item of value) shape(item, `${path}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    out.set(path, 'map');
    const named = NAMED.has(path.split('.').at(-1) ?? '');
    for (const [k, v] of Object.entries(value)) shape(v, `${path}.${named ? '*' : k}`, out);
  } else {
    out.set(path, typeof value);
  }
  return out;
}

function referenceShapes(): Map<string, string> {
  const all = new Map<string, string>();
  for (const docs of Object.values(references)) for (const d of docs) for (const [p, t] of shape(d)) all.set(p, t);
  return all;
}

/** Fields the compiler writes that no reference file happens to show; the strict proto check covers each. */
const BEYOND_REFERENCES = [
  /^\.deploymentSpec\.executors\.\*\.importer(\.|$)/, // KFP's dsl.importer (PipelineDeploymentConfig.ImporterSpec)
  /^\.root\.dag\.outputs\.artifacts/, // DagOutputsSpec.artifacts: eval metrics as pipeline outputs
  /^\.root\.outputDefinitions\.artifacts/, // ComponentOutputsSpec.artifacts on the root
  /^\.components\.\*\.inputDefinitions\.artifacts\.\*\.isOptional$/, // ComponentInputsSpec.ArtifactSpec.is_optional
  /^\.root\.dag\.tasks\.\*\.inputs\.parameters\.\*\.runtimeValue(\.|$)/, // InputParameterSpec.runtime_value: the SDK's form for constants
];

function compiled(id: 'korean-llm' | 'korean-llm-smoke'): { text: string; docs: Json[] } {
  const text = compileKfp(loadTemplate(id), kfpStubCatalog)['pipeline.yaml'];
  return { text, docs: readKfpYaml(text) as Json[] };
}

describe('KFP output against the KFP-compiled reference files', () => {
  const { docs } = compiled('korean-llm');
  const [pipeline, platform] = docs;

  it('writes only field paths, with the same types, that real KFP pipelines use', () => {
    const known = referenceShapes();
    const ours = new Map([...shape(pipeline), ...shape(platform)]);
    const unknown = [...ours].filter(([p, t]) => known.get(p) !== t && !BEYOND_REFERENCES.some((re) => re.test(p)));
    expect(unknown).toEqual([]);
  });

  it('writes the accelerator block as nvidia_gpu_scheduling_check.yaml does', () => {
    const theirs = ref('nvidia_gpu_scheduling_check.yaml').deploymentSpec.executors['exec-verify-gpu-scheduled'].container.resources.accelerator;
    const mine = pipeline.deploymentSpec.executors['exec-eval'].container.resources.accelerator;
    expect(mine).toEqual(theirs);
  });

  it('converts cpu and memory into the numeric fields exactly as the KFP SDK did for 1000m and 256Mi', () => {
    const theirs = ref('local_execution_pipeline_with_k8s_only_methods.yaml').deploymentSpec.executors['exec-echo'].container.resources;
    const d: PipelineDocument = {
      format: 'pipewright.pipeline/v2',
      name: 'echo',
      nodes: [{ id: 'echo', type: 'python', position: { x: 0, y: 0 }, code: '', resources: { cpu: '1000m', memory: '256Mi', gpus: 1, gpuResource: 'nvidia.com/gpu' } }],
      edges: [],
    };
    const mine = (readKfpYaml(compileKfp(d, kfpStubCatalog)['pipeline.yaml'])[0] as Json).deploymentSpec.executors['exec-python'].container.resources;
    for (const key of Object.keys(theirs)) expect([key, mine[key]]).toEqual([key, theirs[key]]);
  });

  it('writes retryPolicy and cachingOptions with the fields of pipeline_with_retry.yaml', () => {
    const theirs = ref('pipeline_with_retry.yaml').root.dag.tasks.add;
    const mine = pipeline.root.dag.tasks.cpt;
    expect(Object.keys(mine.retryPolicy).sort()).toEqual(Object.keys(theirs.retryPolicy).sort());
    expect(Object.keys(mine.cachingOptions)).toEqual(Object.keys(theirs.cachingOptions));
    expect(mine.retryPolicy.backoffMaxDuration).toBe(theirs.retryPolicy.backoffMaxDuration);
  });

  it('passes artifacts between tasks as two_step_pipeline_containerized.yaml does', () => {
    const theirs = ref('two_step_pipeline_containerized.yaml').root.dag.tasks.component2;
    const mine = pipeline.root.dag.tasks.preprocess;
    expect(Object.keys(mine.inputs.artifacts.dataset.taskOutputArtifact).sort()).toEqual(Object.keys(theirs.inputs.artifacts.input_gcs.taskOutputArtifact).sort());
    expect(mine.dependentTasks).toEqual(['corpus']);
    const theirArg = ref('two_step_pipeline_containerized.yaml').deploymentSpec.executors['exec-component1'].container.args[1];
    expect(theirArg).toBe("{{$.outputs.artifacts['output_gcs'].path}}");
    expect(pipeline.deploymentSpec.executors['exec-preprocess'].container.args).toContain("{{$.outputs.artifacts['dataset'].path}}");
  });

  it('writes tolerations, node selectors and secret env as the kfp-kubernetes references do', () => {
    const k8s = platform.platforms.kubernetes.deploymentSpec.executors['exec-sft'];
    const toleration = ref('nvidia_gpu_scheduling_check.yaml', 1).platforms.kubernetes.deploymentSpec.executors['exec-verify-gpu-scheduled'].tolerations[0];
    expect(k8s.tolerations[0]).toEqual(toleration);
    const selector = ref('handwritten_minimal_two_task_gpu.yaml', 1).platforms.kubernetes.deploymentSpec.executors['exec-sft'].nodeSelector;
    expect(k8s.nodeSelector).toEqual(selector);
    // The SDK writes `secretName` next to `secretNameParameter` for a constant name; the legacy field alone works on every backend.
    const secret = ref('pipeline_with_secret_as_env.yaml', 1).platforms.kubernetes.deploymentSpec.executors['exec-comp'].secretAsEnv[1];
    expect(Object.keys(k8s.secretAsEnv[0]).every((key) => key in secret)).toBe(true);
    expect(Object.keys(k8s.secretAsEnv[0].keyToEnv[0]).sort()).toEqual(Object.keys(secret.keyToEnv[0]).sort());
  });
});

describe('KFP golden files (UPDATE_GOLDENS=1 rewrites them)', () => {
  it.each(['korean-llm', 'korean-llm-smoke'] as const)('template %s matches its golden pipeline.yaml', (id) => {
    const { text } = compiled(id);
    const golden = join(KFP_GOLDEN_DIR, `${id}.pipeline.yaml`);
    if (process.env.UPDATE_GOLDENS === '1') {
      mkdirSync(KFP_GOLDEN_DIR, { recursive: true });
      writeFileSync(golden, text);
    }
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });
});
