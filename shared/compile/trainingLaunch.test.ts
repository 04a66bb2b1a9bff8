/**
 * Every target tells a training step its GPUs (one process per GPU) and image, and with `checkpointPvc` the
 * cluster targets mount the PVC at the checkpoint folder: KFP through kfp-kubernetes' pvcMount (parsed strictly
 * as KubernetesExecutorConfig), Argo through workflow volumes and volumeMounts (validated against Argo's schema).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { catalog } from '../../node-catalog/index.ts';
import { KFP_CHECKER, loadTemplate, readKfpYaml } from '../../test/fixtures/kfp-emulation.ts';
import { argoWorkflowCheck } from '../../test/fixtures/schemaCheck.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { compileArgo } from './argo.ts';
import { compileKfp } from './kfp.ts';
import { CHECKPOINT_MOUNT } from './trainingLaunch.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const withPvc = (): PipelineDocument => {
  const doc = loadTemplate('korean-llm');
  return { ...doc, settings: { ...doc.settings, checkpointPvc: 'train-ckpt' } };
};
const work = mkdtempSync(join(tmpdir(), 'pipewright-launch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('KFP', () => {
  const [pipeline, platform] = readKfpYaml(compileKfp(withPvc(), catalog)['pipeline.yaml']) as Json[];
  const executors = platform.platforms.kubernetes.deploymentSpec.executors as Json;
  const env = (name: string) => pipeline.deploymentSpec.executors[name].container.env as Json[];

  it('mounts the checkpoint PVC on training steps only, with the run id for the folder', () => {
    for (const exec of ['exec-cpt', 'exec-sft']) {
      expect(executors[exec].pvcMount).toEqual([{ constant: 'train-ckpt', pvcNameParameter: { runtimeValue: { constant: 'train-ckpt' } }, mountPath: CHECKPOINT_MOUNT }]);
      expect(executors[exec].fieldPathAsEnv).toEqual([{ name: 'PIPEWRIGHT_RUN_ID', fieldPath: "metadata.labels['pipeline/runid']" }]);
      expect(env(exec)).toContainEqual({ name: 'PIPEWRIGHT_CHECKPOINT_ROOT', value: CHECKPOINT_MOUNT });
    }
    expect(executors['exec-eval']?.pvcMount).toBeUndefined();
    expect(env('exec-eval')).not.toContainEqual(expect.objectContaining({ name: 'PIPEWRIGHT_CHECKPOINT_ROOT' }));
  });

  it('tells a GPU step its GPU count and image', () => {
    expect(env('exec-cpt')).toContainEqual({ name: 'PIPEWRIGHT_GPUS', value: '4' });
    expect(env('exec-cpt')).toContainEqual({ name: 'PIPEWRIGHT_IMAGE', value: 'ghcr.io/pipewright/train:0.1.0' });
    expect(env('exec-preprocess')).not.toContainEqual(expect.objectContaining({ name: 'PIPEWRIGHT_GPUS' }));
  });

  it('parses strictly as KFP protobuf messages', () => {
    const file = join(work, 'pvc.yaml');
    writeFileSync(file, compileKfp(withPvc(), catalog)['pipeline.yaml']);
    const run = spawnSync('/usr/bin/python3', [KFP_CHECKER, file], { encoding: 'utf8' });
    expect(run.stdout, run.stderr).toMatch(/^ok /);
  });

  it('without checkpointPvc mounts nothing', () => {
    const [, plain] = readKfpYaml(compileKfp(loadTemplate('korean-llm'), catalog)['pipeline.yaml']) as Json[];
    expect(JSON.stringify(plain ?? {})).not.toContain('pvcMount');
  });
});

describe('Argo', () => {
  const wf = parse(compileArgo(withPvc(), catalog)['workflow.yaml']) as Json;
  const container = (name: string) => (wf.spec.templates as Json[]).find((t) => t.name === name)!.container as Json;

  it('declares the PVC once and mounts it on training steps, which keep their retryStrategy', () => {
    expect(wf.spec.volumes).toEqual([{ name: 'pipewright-checkpoints', persistentVolumeClaim: { claimName: 'train-ckpt' } }]);
    for (const step of ['cpt', 'sft']) {
      expect(container(step).volumeMounts).toEqual([{ name: 'pipewright-checkpoints', mountPath: CHECKPOINT_MOUNT }]);
      expect(container(step).env).toContainEqual({ name: 'PIPEWRIGHT_CHECKPOINT_ROOT', value: CHECKPOINT_MOUNT });
      expect((wf.spec.templates as Json[]).find((t) => t.name === step)!.retryStrategy).toBeDefined();
    }
    expect(container('eval').volumeMounts).toBeUndefined();
    expect(container('cpt').env).toContainEqual({ name: 'PIPEWRIGHT_GPUS', value: '4' });
  });

  it("validates against Argo's schema", () => {
    expect(argoWorkflowCheck()(wf)).toEqual([]);
  });
});
