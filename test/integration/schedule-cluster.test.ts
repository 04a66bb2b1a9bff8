/** `pipewright schedule` and `pipewright schedules` against the Kubernetes/KFP emulator: create, list, pause, resume, delete. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { kfpRecurringRun } from '../../shared/schedules/kfp.ts';
import { runCli } from '../../electron/cli/main.ts';
import type { CliIo } from '../../electron/cli/types.ts';
import { serializePipeline } from '../../shared/pipeline/load.ts';
import { startKubeEmulator, type KubeEmulator } from '../kube-emulator/index.ts';
import { kubectl } from '../kube-emulator/test-helpers.ts';

let dir: string;
let emulator: KubeEmulator;

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const env = { KUBECONFIG: emulator.kubeconfigPath, KFP_TOKEN: emulator.token ?? '', PIPEWRIGHT_DATA_DIR: join(dir, 'data') };
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, env, isTTY: false, signal: new AbortController().signal };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  emulator = await startKubeEmulator({ timeScale: 0.005 });
  dir = await mkdtemp(join(tmpdir(), 'pw-schedule-cluster-'));
  const doc = templateDocument('korean-llm-smoke')!;
  doc.parameters = [{ name: 'cpt_learning_rate', type: 'number', default: 0.0002 }];
  await writeFile(join(dir, 'smoke.pipewright.json'), serializePipeline(doc));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Argo CronWorkflows', () => {
  it('creates, lists, pauses, resumes and deletes', async () => {
    const made = await cli('schedule', 'smoke.pipewright.json', '--weekly', '--timezone', 'Asia/Seoul', '--target', 'argo', '--namespace', 'default', '--param', 'cpt_learning_rate=1e-4');
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^Created schedule korean-llm-smoke-schedule \(Argo on .*, namespace default\): 0 2 \* \* 0 Asia\/Seoul\nThe runs it starts are added to `pipewright runs` \(and the app's runs list\), marked scheduled\.\n$/);
    const stored = emulator.controller.get('cronworkflows', 'default', 'korean-llm-smoke-schedule') as unknown as { spec: { workflowSpec: { arguments: { parameters: { name: string; value: string }[] } } } };
    expect(stored.spec.workflowSpec.arguments.parameters).toContainEqual({ name: 'cpt_learning_rate', value: '0.0001' });

    const list = await cli('schedules', 'list', '--target', 'argo', '--namespace', 'default', '--json');
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      { target: 'argo', id: 'korean-llm-smoke-schedule', name: 'korean-llm-smoke-schedule', pipeline: 'korean-llm-smoke', cron: '0 2 * * 0', timezone: 'Asia/Seoul', paused: false, maxConcurrency: '1', catchUp: true, nextRun: expect.stringMatching(/T17:00:00\.000Z$/) as unknown },
    ]);
    // Sunday 02:00 in Seoul is Saturday 17:00 UTC.
    expect(new Date((JSON.parse(list.stdout) as { nextRun: string }[])[0].nextRun).getUTCDay()).toBe(6);
    expect((await cli('schedules', 'pause', 'korean-llm-smoke-schedule', '--target', 'argo', '--namespace', 'default')).stdout).toMatch(/^Paused schedule korean-llm-smoke-schedule/);
    expect((emulator.controller.get('cronworkflows', 'default', 'korean-llm-smoke-schedule') as unknown as { spec: { suspend: boolean } }).spec.suspend).toBe(true);
    const table = await cli('schedules', 'list', '--target', 'argo', '--namespace', 'default');
    expect(table.stdout.split('\n')[1]).toMatch(/^korean-llm-smoke-schedule\s+korean-llm-smoke\s+0 2 \* \* 0\s+Asia\/Seoul\s+paused\s+1\s+on/);
    expect((await cli('schedules', 'resume', 'korean-llm-smoke-schedule', '--target', 'argo', '--namespace', 'default')).code).toBe(0);
    expect((emulator.controller.get('cronworkflows', 'default', 'korean-llm-smoke-schedule') as unknown as { spec: { suspend: boolean } }).spec.suspend).toBe(false);
    const dup = await cli('schedule', 'smoke.pipewright.json', '--weekly', '--target', 'argo', '--namespace', 'default');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/cannot create the schedule on argo: .*already exists/);
    expect((await cli('schedules', 'delete', 'korean-llm-smoke-schedule', '--target', 'argo', '--namespace', 'default')).code).toBe(0);
    expect((await cli('schedules', 'list', '--target', 'argo', '--namespace', 'default')).stdout).toBe('No schedules.\n');
    const gone = await cli('schedules', 'pause', 'korean-llm-smoke-schedule', '--target', 'argo', '--namespace', 'default');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/not found/);
  });

  it('lists CronWorkflows made elsewhere too, marked not made by Pipewright, and says which run only when the data changed', async () => {
    const made = await cli('schedule', 'smoke.pipewright.json', '--cron', '0 3 * * *', '--target', 'argo', '--namespace', 'default', '--name', 'nightly-data', '--when-data-changes');
    expect(made.code, made.stderr).toBe(0);
    const applied = await kubectl(emulator, ['apply', '-f', '-'], {
      stdin: JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', metadata: { name: 'team-backup', namespace: 'default' }, spec: { schedules: ['30 1 * * *'], workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox', command: ['true'] } }] } } }),
    });
    expect(applied.code, applied.stderr).toBe(0);
    const json = await cli('schedules', 'list', '--target', 'argo', '--namespace', 'default', '--json');
    expect(json.code, json.stderr).toBe(0);
    const list = JSON.parse(json.stdout) as { name: string; pipeline?: string; trigger?: string; external?: boolean }[];
    expect(list.map((s) => [s.name, s.pipeline, s.trigger, s.external])).toEqual([
      ['nightly-data', 'korean-llm-smoke', 'data-changed', undefined],
      ['team-backup', undefined, undefined, true],
    ]);
    const table = (await cli('schedules', 'list', '--target', 'argo', '--namespace', 'default')).stdout.split('\n');
    expect(table[0]).toMatch(/LAST STARTED\s+RUNS\s+MADE BY$/);
    expect(table[1]).toMatch(/^nightly-data\s+korean-llm-smoke\s+0 3 \* \* \*\s+UTC\s+active.*\s+when data changed\s+Pipewright$/);
    expect(table[2]).toMatch(/^team-backup\s+-\s+30 1 \* \* \*\s+controller local time\s+active.*\s+every time\s+not Pipewright$/);
    expect((await cli('schedules', 'delete', 'team-backup', '--target', 'argo', '--namespace', 'default')).code).toBe(0);
    expect((await cli('schedules', 'delete', 'nightly-data', '--target', 'argo', '--namespace', 'default')).code).toBe(0);
  });

  it('the emulator holds a CronWorkflow to Argo\'s schema', async () => {
    const res = await fetch(`${emulator.url}/apis/argoproj.io/v1alpha1/namespaces/default/cronworkflows`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', metadata: { name: 'x' }, spec: { schedules: ['0 2 * * 0'], timeZone: 'UTC', workflowSpec: { entrypoint: 'main' } } }),
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('/spec/timeZone: not a field of this object');
  });
});

describe('KFP recurring runs', () => {
  const kfp = () => ['--target', 'kfp', '--kfp-url', emulator.kfpUrl, '--kfp-token-env', 'KFP_TOKEN', '--experiment', 'nightly'];

  it('creates, lists, pauses, resumes and deletes', async () => {
    const made = await cli('schedule', 'smoke.pipewright.json', '--weekly', '--timezone', 'Asia/Seoul', '--max-concurrency', '2', '--no-catch-up', ...kfp());
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^Created schedule korean-llm-smoke-schedule \(KFP at .*, experiment nightly\): 0 0 17 \* \* 6 UTC, id [0-9a-f-]{36}\nThe runs it starts/);
    const stored = async () =>
      ((await (await fetch(`${emulator.kfpUrl}/apis/v2beta1/recurringruns`, { headers: { Authorization: `Bearer ${emulator.token}` } })).json()) as { recurringRuns?: { runtime_config: unknown; no_catchup: boolean; status: string }[] }).recurringRuns ?? [];
    expect((await stored())[0].runtime_config).toEqual({ parameters: { cpt_learning_rate: 0.0002 } });
    expect((await stored())[0].no_catchup).toBe(true);

    const list = JSON.parse((await cli('schedules', 'list', ...kfp(), '--json')).stdout) as { name: string; cron: string; paused: boolean; maxConcurrency: string; catchUp: boolean; pipeline: string }[];
    expect(list).toMatchObject([{ name: 'korean-llm-smoke-schedule', pipeline: 'korean-llm-smoke', cron: '0 0 17 * * 6', paused: false, maxConcurrency: '2', catchUp: false }]);
    expect((await cli('schedules', 'pause', 'korean-llm-smoke-schedule', ...kfp())).code).toBe(0);
    expect((await stored())[0].status).toBe('DISABLED');
    expect((await cli('schedules', 'resume', 'korean-llm-smoke-schedule', ...kfp())).code).toBe(0);
    expect((await stored())[0].status).toBe('ENABLED');
    expect((await cli('schedules', 'delete', 'korean-llm-smoke-schedule', ...kfp())).code).toBe(0);
    expect(await stored()).toEqual([]);
    const missing = await cli('schedules', 'delete', 'korean-llm-smoke-schedule', ...kfp());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no recurring run "korean-llm-smoke-schedule" (there are: none)');
  });

  it('lists recurring runs made elsewhere in the experiment too, marked not made by Pipewright', async () => {
    expect((await cli('schedules', 'list', ...kfp())).code).toBe(0);
    const auth = { Authorization: `Bearer ${emulator.token}` };
    const experiments = (await (await fetch(`${emulator.kfpUrl}/apis/v2beta1/experiments`, { headers: auth })).json()) as { experiments: { experiment_id: string; display_name: string }[] };
    const experimentId = experiments.experiments.find((e) => e.display_name === 'nightly')!.experiment_id;
    const doc = templateDocument('korean-llm-smoke')!;
    const body = { ...kfpRecurringRun(doc, catalog, { name: 'team-retrain', cron: '0 4 * * *', timezone: 'UTC', maxConcurrency: 1, catchUp: true, parameters: {}, trigger: 'cron' }), description: 'the ML team\'s own retraining', experiment_id: experimentId };
    const res = await fetch(`${emulator.kfpUrl}/apis/v2beta1/recurringruns`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(200);
    const made = (await res.json()) as { recurring_run_id: string };
    const list = JSON.parse((await cli('schedules', 'list', ...kfp(), '--json')).stdout) as { name: string; external?: boolean; pipeline?: string }[];
    expect(list.map((s) => [s.name, s.pipeline, s.external])).toEqual([['team-retrain', undefined, true]]);
    expect((await cli('schedules', 'list', ...kfp())).stdout.split('\n')[1]).toMatch(/^team-retrain\s.*\s+every time\s+not Pipewright$/);
    expect((await cli('schedules', 'delete', made.recurring_run_id, ...kfp())).code).toBe(0);
  });

  it('when the data changes: the recurring run carries data-check -> pipeline (condition) with record-data; the runs\' account is asked about the ConfigMap', async () => {
    // Through the service proxy the kubeconfig can ask the cluster (SubjectAccessReview) about pipeline-runner in kubeflow.
    const proxy = ['--target', 'kfp', '--experiment', 'nightly'];
    const made = await cli('schedule', 'smoke.pipewright.json', '--cron', '0 3 * * *', '--name', 'corpus-refresh', '--when-data-changes', ...proxy);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toMatch(/^warning {2}schedule corpus-refresh: service account kubeflow\/pipeline-runner may not get\/update\/create ConfigMap pipewright-data\.korean-llm-smoke\.corpus-refresh/m);
    const rbac = made.stderr.slice(made.stderr.indexOf('# What the service account'));
    expect(rbac).toContain('name: pipeline-runner');
    const auth = { Authorization: `Bearer ${emulator.token}` };
    const all = ((await (await fetch(`${emulator.kfpUrl}/apis/v2beta1/recurringruns`, { headers: auth })).json()) as { recurringRuns: { recurring_run_id: string; display_name: string; pipeline_spec: { pipeline_spec: { root: { dag: { tasks: Record<string, { triggerPolicy?: { condition: string } }> } } } } }[] }).recurringRuns;
    const stored = all.find((r) => r.display_name === 'corpus-refresh')!;
    const tasks = stored.pipeline_spec.pipeline_spec.root.dag.tasks;
    expect(Object.keys(tasks)).toEqual(['data-check', 'pipeline']);
    expect(tasks.pipeline.triggerPolicy).toEqual({ condition: "inputs.parameter_values['pipelinechannel--data-check-changed'] == 'true'" });
    const listed = JSON.parse((await cli('schedules', 'list', ...proxy, '--json')).stdout) as { name: string; trigger?: string }[];
    expect(listed.find((l) => l.name === 'corpus-refresh')?.trigger).toBe('data-changed');
    // The Role applied as printed: asked again, the account may do it all.
    const applied = await kubectl(emulator, ['apply', '-f', '-'], { stdin: rbac });
    expect(applied.code, applied.stderr).toBe(0);
    expect((await cli('schedules', 'delete', stored.recurring_run_id, ...proxy)).code).toBe(0);
    const again = await cli('schedule', 'smoke.pipewright.json', '--cron', '0 3 * * *', '--name', 'corpus-refresh', '--when-data-changes', ...proxy);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('warning  schedule');
    // Reached by URL with a token, the kubeconfig still asks: the Role names corpus-refresh's ConfigMap only (create is for any).
    const byUrl = await cli('schedule', 'smoke.pipewright.json', '--cron', '0 3 * * *', '--name', 'by-url', '--when-data-changes', ...kfp());
    expect(byUrl.code, byUrl.stderr).toBe(0);
    expect(byUrl.stderr).toMatch(/^warning {2}schedule by-url: service account kubeflow\/pipeline-runner may not get\/update ConfigMap pipewright-data\.korean-llm-smoke\.by-url:/m);
    for (const name of ['corpus-refresh', 'by-url']) expect((await cli('schedules', 'delete', name, ...proxy)).code).toBe(0);
  });

  it('the emulator refuses what KFP refuses', async () => {
    const post = async (body: object) => {
      const res = await fetch(`${emulator.kfpUrl}/apis/v2beta1/recurringruns`, { method: 'POST', headers: { Authorization: `Bearer ${emulator.token}` }, body: JSON.stringify(body) });
      return { status: res.status, text: await res.text() };
    };
    const base = { display_name: 'x', max_concurrency: '1', trigger: { cron_schedule: { cron: '0 0 2 * * 0' } }, pipeline_version_reference: { pipeline_id: 'p' } };
    expect((await post({ ...base, max_concurrency: '11' })).text).toMatch(/Max concurrency of a recurring run must be at least 1 and at most 10. Received 11/);
    expect((await post({ ...base, trigger: { cron_schedule: { cron: '0 2 * * 0' } } })).text).toMatch(/cron is not a supported format/);
    expect((await post({ ...base, namespace: 'kubeflow' })).text).toMatch(/namespace: output only/);
    // grpc-gateway decodes the body first, as protojson with unknown fields refused.
    expect((await post({ ...base, trigger: { cron_schedule: { crontab: 'x' } } }))).toEqual({ status: 400, text: expect.stringMatching(/^\{"code":3,"message":"proto: \(line 1:\d+\): unknown field \\"crontab\\""\}$/) });
  });
});
