/**
 * KFP runs in execute mode (kfp/execute.ts): the drivers resolve inputs and evaluate conditions, the launcher
 * runs each component's own command, reads its output parameter files and passes parameters and artifacts to
 * the tasks that consume them; a condition false skips the sub-DAG as KFP shows it (Argo node Skipped, run
 * SUCCEEDED); a condition the driver cannot evaluate, or an output the command did not write, fails the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateCondition } from './kfp/condition.ts';
import { startKubeEmulator, type KubeEmulator } from './index.ts';
import { waitFor } from './test-helpers.ts';

const CONDITION = "inputs.parameter_values['pipelinechannel--produce-flag'] == 'true' && int(inputs.parameter_values['pipelinechannel--produce-count']) >= 2";

const PRODUCE = [
  'import sys',
  'word, flag, count, data = sys.argv[1:5]',
  "print('producing', word)",
  "if word != 'lazy':",
  "    open(flag, 'w').write('true' if word.startswith('go') else 'false')",
  'open(count, "w").write(str(len(word)))',
  'import os',
  'os.makedirs(os.path.dirname(data), exist_ok=True)',
  "open(data, 'w').write(word * 2)",
].join('\n');

function spec(condition = CONDITION, cacheProduce = false): Record<string, unknown> {
  const python = (script: string, args: string[]) => ({ container: { image: 'python:3.11-slim', command: ['python3', '-c', script], args } });
  const channels = { 'pipelinechannel--produce-flag': { parameterType: 'STRING' }, 'pipelinechannel--produce-count': { parameterType: 'NUMBER_INTEGER' }, word: { parameterType: 'STRING' } };
  return {
    pipelineInfo: { name: 'exec-check' },
    schemaVersion: '2.1.0',
    sdkVersion: 'kfp-2.9.0',
    root: {
      inputDefinitions: { parameters: { word: { parameterType: 'STRING' } } },
      dag: {
        tasks: {
          produce: { taskInfo: { name: 'produce' }, componentRef: { name: 'comp-produce' }, inputs: { parameters: { word: { componentInputParameter: 'word' } } }, ...(cacheProduce ? { cachingOptions: { enableCache: true } } : {}) },
          read: {
            taskInfo: { name: 'read' },
            componentRef: { name: 'comp-read' },
            dependentTasks: ['produce'],
            inputs: { artifacts: { data: { taskOutputArtifact: { producerTask: 'produce', outputArtifactKey: 'data' } } } },
          },
          'condition-1': {
            taskInfo: { name: 'condition-1' },
            componentRef: { name: 'comp-condition-1' },
            dependentTasks: ['produce'],
            inputs: {
              parameters: {
                'pipelinechannel--produce-flag': { taskOutputParameter: { producerTask: 'produce', outputParameterKey: 'flag' } },
                'pipelinechannel--produce-count': { taskOutputParameter: { producerTask: 'produce', outputParameterKey: 'count' } },
                word: { componentInputParameter: 'word' },
              },
            },
            triggerPolicy: { condition },
          },
        },
      },
    },
    components: {
      'comp-produce': {
        executorLabel: 'exec-produce',
        inputDefinitions: { parameters: { word: { parameterType: 'STRING' } } },
        outputDefinitions: {
          parameters: { flag: { parameterType: 'STRING' }, count: { parameterType: 'NUMBER_INTEGER' } },
          artifacts: { data: { artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' } } },
        },
      },
      'comp-read': { executorLabel: 'exec-read', inputDefinitions: { artifacts: { data: { artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' } } } } },
      'comp-condition-1': {
        inputDefinitions: { parameters: channels },
        dag: {
          tasks: {
            echo: {
              taskInfo: { name: 'echo' },
              componentRef: { name: 'comp-echo' },
              inputs: {
                parameters: {
                  word: { componentInputParameter: 'word' },
                  count: { componentInputParameter: 'pipelinechannel--produce-count' },
                  job: { runtimeValue: { constant: '{{$.pipeline_job_name}}' } },
                },
              },
            },
          },
        },
      },
      'comp-echo': {
        executorLabel: 'exec-echo',
        inputDefinitions: { parameters: { word: { parameterType: 'STRING' }, count: { parameterType: 'NUMBER_INTEGER' }, job: { parameterType: 'STRING' }, greeting: { parameterType: 'STRING', defaultValue: '안녕' } } },
      },
    },
    deploymentSpec: {
      executors: {
        'exec-produce': python(PRODUCE, ["{{$.inputs.parameters['word']}}", "{{$.outputs.parameters['flag'].output_file}}", "{{$.outputs.parameters['count'].output_file}}", "{{$.outputs.artifacts['data'].path}}"]),
        'exec-read': python("import sys; print('read:', open(sys.argv[1]).read())", ["{{$.inputs.artifacts['data'].path}}"]),
        'exec-echo': python("import sys; print('echo:', sys.argv[1:])", ["{{$.inputs.parameters['greeting']}}", "{{$.inputs.parameters['word']}}", "{{$.inputs.parameters['count']}}", "{{$.inputs.parameters['job']}}"]),
      },
    },
  };
}

describe('KFP execute mode: driver and launcher', () => {
  let emulator: KubeEmulator;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'pw-kfp-exec-'));
    emulator = await startKubeEmulator({ timeScale: 0.01, execute: { root, commands: { python3: '/usr/bin/python3' } } });
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const run = async (name: string, word: string, condition?: string, cacheProduce = false) => {
    const res = await fetch(`${emulator.kfpUrl}/apis/v2beta1/runs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.token}` },
      body: JSON.stringify({ display_name: name, pipeline_spec: spec(condition, cacheProduce), runtime_config: { parameters: { word } } }),
    });
    const created = (await res.json()) as { run_id: string };
    expect(res.status, JSON.stringify(created)).toBe(200);
    const done = await waitFor(
      async () => {
        const r = (await (await fetch(`${emulator.kfpUrl}/apis/v2beta1/runs/${created.run_id}`, { headers: { Authorization: `Bearer ${emulator.token}` } })).json()) as { state: string; run_details?: { task_details?: { display_name: string; state?: string }[] } };
        return ['SUCCEEDED', 'FAILED'].includes(r.state) ? r : undefined;
      },
      30_000,
      `run ${name}`,
    );
    const pods = emulator.controller.list('pods', 'kubeflow').filter((p) => p.metadata.labels?.['pipeline/runid'] === created.run_id);
    const log = (nodeSuffix: string) => {
      const pod = pods.find((p) => p.metadata.annotations?.['workflows.argoproj.io/node-name']?.endsWith(nodeSuffix));
      return pod ? emulator.controller.logLines('kubeflow', pod.metadata.name).join('\n') : undefined;
    };
    const tasks = new Map((done.run_details?.task_details ?? []).map((t) => [t.display_name, t.state]));
    return { state: done.state, log, tasks, pods };
  };

  it('passes output parameters and artifacts to consumers, runs the sub-DAG when its condition holds', async () => {
    const r = await run('go-run', 'gogo');
    expect(r.state).toBe('SUCCEEDED');
    expect(r.log('.produce.executor')).toContain('producing gogo');
    // The artifact the producer wrote, downloaded for its consumer.
    expect(r.log('.read.executor')).toContain('read: gogogogo');
    // Inside the sub-DAG: a component default, a root parameter handed down, an output parameter parsed as an integer, the run's display name.
    expect(r.log('.echo.executor')).toContain("echo: ['안녕', 'gogo', '4', 'go-run']");
    expect(r.log('.condition-1-driver')).toContain(`condition ${JSON.stringify(CONDITION)} evaluated true`);
    expect(r.tasks.get('condition-1')).toBe('SUCCEEDED');
  });

  it('a condition evaluated false skips the sub-DAG: its tasks never run, the run SUCCEEDED', async () => {
    const r = await run('stop-run', 'stop');
    expect(r.state).toBe('SUCCEEDED');
    expect(r.tasks.get('condition-1')).toBe('SKIPPED');
    expect(r.log('.condition-1-driver')).toContain('evaluated false');
    expect(r.pods.some((p) => p.metadata.annotations?.['workflows.argoproj.io/node-name']?.includes('.echo'))).toBe(false);
    expect(r.log('.read.executor')).toContain('read: stopstop');
  });

  it('a condition the driver does not understand fails the run, naming it', async () => {
    const r = await run('bad-condition', 'gogo', "inputs.parameter_values['pipelinechannel--produce-count'] == '4'");
    expect(r.state).toBe('FAILED');
    expect(r.log('.condition-1-driver')).toMatch(/driver\.DAG\(task="condition-1"\) failed: triggerPolicy\.condition .*different kinds: double == string: KFP's driver would evaluate it false; the emulated driver refuses it/);
    expect(r.pods.some((p) => p.metadata.annotations?.['workflows.argoproj.io/node-name']?.includes('.echo'))).toBe(false);
  });

  it("a task with enableCache and the same inputs as an earlier execution is a cache hit: its executor never runs, its outputs are the earlier ones", async () => {
    const first = await run('cache-1', 'gocache', undefined, true);
    expect(first.log('.produce.executor')).toContain('producing gocache');
    const second = await run('cache-2', 'gocache', undefined, true);
    expect(second.state).toBe('SUCCEEDED');
    expect(second.log('.produce-driver')).toMatch(/cache hit: reusing the outputs of execution \d+/);
    expect(second.log('.produce.executor')).toBeUndefined();
    // The consumers get the cached outputs: the artifact and the parameters.
    expect(second.log('.read.executor')).toContain('read: gocachegocache');
    expect(second.log('.echo.executor')).toContain("echo: ['안녕', 'gocache', '7', 'cache-2']");
    // Other inputs: no hit. Without enableCache: no hit.
    expect((await run('cache-3', 'gocached', undefined, true)).log('.produce.executor')).toContain('producing gocached');
    expect((await run('cache-4', 'gocache')).log('.produce.executor')).toContain('producing gocache');
  });

  it('an output parameter the command did not write fails the task as the launcher does; its consumers never run', async () => {
    const r = await run('lazy-run', 'lazy');
    expect(r.state).toBe('FAILED');
    expect(r.log('.produce.executor')).toContain('failed to read output parameter name="flag" type="STRING" path="/tmp/kfp/outputs/flag": open /tmp/kfp/outputs/flag: no such file or directory');
    expect(r.log('.read.executor')).toBeUndefined();
    expect(r.log('.condition-1-driver')).toBeUndefined();
  });
});

describe('triggerPolicy.condition as KFP SDK writes it', () => {
  const values = { s: 'true', n: 4, b: true, f: 'false' };
  it.each([
    ["inputs.parameter_values['s'] == 'true'", true],
    ["inputs.parameter_values['f'] == 'true'", false],
    ["inputs.parameter_values['s'] != 'true'", false],
    ['int(inputs.parameter_values[\'n\']) == 4', true],
    ["int(inputs.parameter_values['n']) > 4", false],
    ["inputs.parameter_values['n'] >= 3.5", true],
    ["inputs.parameter_values['b'] == true", true],
    ["!(inputs.parameter_values['s'] == 'true') && inputs.parameter_values['b'] == true", false],
    ["inputs.parameter_values['f'] == 'true' || int(inputs.parameter_values['n']) == 4", true],
    ["inputs.parameter_values['b'] > false", true],
    ["inputs.parameter_values['s'] < 'truf'", true],
  ])('%s -> %s', (condition, expected) => {
    expect(evaluateCondition(condition, values)).toBe(expected);
  });
  it.each([
    ["inputs.parameter_values['s'] == 1", /different kinds: string == int: KFP's driver would evaluate it false/],
    ["inputs.parameter_values['s'] > 1", /different kinds: string > int: KFP's driver fails on it too/],
    ["inputs.parameter_values['missing'] == 'x'", /no such key: missing/],
    ["inputs.parameter_values['s']", /return type is not bool/],
    ["inputs.parameter_values['s'].size() > 0", /expected|not a form/],
    ["inputs.artifacts['a'] == 'x'", /inputs\.artifacts is not a form KFP's SDK writes/],
    ["size(inputs.parameter_values['s']) == 4", /"size" is not a form/],
  ])('refuses %s', (condition, message) => {
    expect(() => evaluateCondition(condition, values)).toThrow(message);
  });
});
