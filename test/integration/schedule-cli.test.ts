import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { serializePipeline } from '../../shared/pipeline/load.ts';
import { argoCronWorkflowCheck, kfpRecurringRunCheck } from '../fixtures/schemaCheck.ts';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { runCli } from '../../electron/cli/main.ts';
import type { CliIo } from '../../electron/cli/types.ts';

interface CronWorkflowFile {
  spec: { schedules: string[]; timezone: string; workflowSpec: { arguments: { parameters: { name: string; value: string }[] } } };
}

let dir: string;

async function cli(...argv: string[]) {
  return cliWith(new AbortController().signal, ...argv);
}

async function cliWith(signal: AbortSignal, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, env: { PIPEWRIGHT_DATA_DIR: join(dir, 'data') }, isTTY: false, signal };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-schedule-cli-'));
  const doc = templateDocument('korean-llm-smoke')!;
  doc.parameters = [{ name: 'cpt_learning_rate', type: 'number', default: 0.0002 }];
  await writeFile(join(dir, 'smoke.pipewright.json'), serializePipeline(doc));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pipewright schedule --out', () => {
  it('writes an Argo CronWorkflow valid against the schema (the weekly preset in Seoul)', async () => {
    const r = await cli('schedule', 'smoke.pipewright.json', '--weekly', '--timezone', 'Asia/Seoul', '--target', 'argo', '--param', 'cpt_learning_rate=1e-4', '--out', 'argo');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('schedule: wrote cronworkflow.yaml to argo (korean-llm-smoke-schedule: 0 2 * * 0 in Asia/Seoul)\n');
    const cw = parseYaml(await readFile(join(dir, 'argo', 'cronworkflow.yaml'), 'utf8')) as CronWorkflowFile;
    expect(argoCronWorkflowCheck()(cw)).toEqual([]);
    expect(cw.spec.schedules).toEqual(['0 2 * * 0']);
    expect(cw.spec.timezone).toBe('Asia/Seoul');
    expect(cw.spec.workflowSpec.arguments.parameters).toContainEqual({ name: 'cpt_learning_rate', value: '0.0001' });
  });

  it('writes a KFP RecurringRun body valid against the swagger', async () => {
    const r = await cli('schedule', 'smoke.pipewright.json', '--cron', '0 3 * * MON-FRI', '--target', 'kfp', '--max-concurrency', '2', '--no-catch-up', '--experiment-id', 'e1', '--out', 'kfp');
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(await readFile(join(dir, 'kfp', 'recurring-run.json'), 'utf8'));
    expect(kfpRecurringRunCheck()(body)).toEqual([]);
    expect(body.trigger.cron_schedule.cron).toBe('0 0 3 * * MON-FRI');
    expect(body.max_concurrency).toBe('2');
    expect(body.no_catchup).toBe(true);
    expect(body.runtime_config.parameters).toEqual({ cpt_learning_rate: 0.0002 });
  });

  it('--when-data-changes on argo: the CronWorkflow starts with the data check; data-check-rbac.yaml holds the Role for its ConfigMap', async () => {
    const r = await cli('schedule', 'smoke.pipewright.json', '--cron', '0 3 * * *', '--target', 'argo', '--namespace', 'ml', '--when-data-changes', '--out', 'argo-data');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('schedule: wrote cronworkflow.yaml, data-check-rbac.yaml to argo-data (korean-llm-smoke-schedule: 0 3 * * * in UTC)\n');
    const cw = parseYaml(await readFile(join(dir, 'argo-data', 'cronworkflow.yaml'), 'utf8')) as CronWorkflowFile & { spec: { workflowSpec: { entrypoint: string } } };
    expect(argoCronWorkflowCheck()(cw)).toEqual([]);
    expect(cw.spec.workflowSpec.entrypoint).toBe('WhenDataChanged');
    const rbac = parseAllDocuments(await readFile(join(dir, 'argo-data', 'data-check-rbac.yaml'), 'utf8')).map((d) => d.toJS() as { kind: string; metadata: { namespace: string }; subjects?: unknown[] });
    expect(rbac.map((o) => [o.kind, o.metadata.namespace])).toEqual([['Role', 'ml'], ['RoleBinding', 'ml']]);
    expect(rbac[1].subjects).toEqual([{ kind: 'ServiceAccount', name: 'default', namespace: 'ml' }]);
  });

  it('--when-data-changes on kfp: the recurring run is data-check -> pipeline (condition) with record-data; data-check-rbac.yaml is for the runs\' account', async () => {
    const r = await cli('schedule', 'smoke.pipewright.json', '--cron', '0 3 * * *', '--target', 'kfp', '--when-data-changes', '--out', 'kfp-data');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('schedule: wrote data-check-rbac.yaml, recurring-run.json to kfp-data (korean-llm-smoke-schedule: 0 3 * * * in UTC)\n');
    const body = JSON.parse(await readFile(join(dir, 'kfp-data', 'recurring-run.json'), 'utf8')) as { pipeline_spec: { pipeline_spec: { root: { dag: { tasks: Record<string, { triggerPolicy?: unknown }> } } } } };
    expect(kfpRecurringRunCheck()(body)).toEqual([]);
    const tasks = body.pipeline_spec.pipeline_spec.root.dag.tasks;
    expect(Object.keys(tasks)).toEqual(['data-check', 'pipeline']);
    expect(tasks.pipeline.triggerPolicy).toEqual({ condition: "inputs.parameter_values['pipelinechannel--data-check-changed'] == 'true'" });
    const subjects = async (folder: string) =>
      parseAllDocuments(await readFile(join(dir, folder, 'data-check-rbac.yaml'), 'utf8')).map((d) => d.toJS() as { kind: string; metadata: { namespace: string }; subjects?: unknown[] });
    // Single-user KFP: the runs are pipeline-runner's, in KFP's namespace (--kfp-service-namespace, default kubeflow).
    const single = await subjects('kfp-data');
    expect(single.map((o) => [o.kind, o.metadata.namespace])).toEqual([['Role', 'kubeflow'], ['RoleBinding', 'kubeflow']]);
    expect(single[1].subjects).toEqual([{ kind: 'ServiceAccount', name: 'pipeline-runner', namespace: 'kubeflow' }]);
    // A profile namespace (multi-user): default-editor there.
    const multi = await cli('schedule', 'smoke.pipewright.json', '--cron', '0 3 * * *', '--target', 'kfp', '--namespace', 'team-a', '--when-data-changes', '--out', 'kfp-data-team');
    expect(multi.code, multi.stderr).toBe(0);
    expect((await subjects('kfp-data-team'))[1].subjects).toEqual([{ kind: 'ServiceAccount', name: 'default-editor', namespace: 'team-a' }]);
  });

  it('--when-data-changes on kfp with an uploaded pipeline is refused (the data check wraps the compiled one); nothing written', async () => {
    const r = await cli('schedule', 'smoke.pipewright.json', '--cron', '0 3 * * *', '--target', 'kfp', '--when-data-changes', '--pipeline-id', 'p1', '--out', 'kfp-uploaded');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error {2}schedule pipelineId: "when the data changes" wraps the compiled pipeline in a data check, so it cannot run an uploaded pipeline \(--pipeline-id\)/m);
    expect(r.stderr).toContain('Nothing was written to kfp-uploaded.');
    await expect(stat(join(dir, 'kfp-uploaded'))).rejects.toThrow();
  });

  it.each([
    [['--cron', '0 2 * * SUNDAY'], /schedule cron: cron "0 2 \* \* SUNDAY": day of week "SUNDAY" is not a number/],
    [['--cron', '0 2 * * 0', '--timezone', 'Asia/Seol'], /schedule timezone: time zone "Asia\/Seol" .* did you mean "Asia\/Seoul"/],
    [['--cron', '0 2 * * 0', '--param', 'cpt_learning_rate=fast'], /--param cpt_learning_rate: "fast" is not a number/],
    [['--cron', '0 2 * * 0', '--param', 'lr=1'], /schedule parameters.lr: The pipeline has no parameter "lr"/],
    [['--cron', '0 2 * * 0', '--max-concurrency', '0'], /max concurrency 0 must be a whole number from 1 to 10/],
  ])('%j: exit 1, the error names what is wrong, nothing written', async (extra, message) => {
    const r = await cli('schedule', 'smoke.pipewright.json', ...extra, '--target', 'argo', '--out', 'bad');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Nothing was written to bad.');
    await expect(stat(join(dir, 'bad'))).rejects.toThrow();
  });

  it('needs exactly one of --cron and --weekly, and has help', async () => {
    expect((await cli('schedule', 'smoke.pipewright.json', '--target', 'argo', '--out', 'x')).code).toBe(2);
    expect((await cli('schedule', 'smoke.pipewright.json', '--weekly', '--cron', '0 0 * * *', '--target', 'argo', '--out', 'x')).code).toBe(2);
    const help = await cli('schedule', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--timezone TZ');
    expect(help.stdout).toContain('recurring-run.json');
  });
});

describe('pipewright schedule --target local', () => {
  it('adds a schedule to the data folder, lists, pauses, resumes and deletes it, and says when it runs', async () => {
    const added = await cli('schedule', 'smoke.pipewright.json', '--cron', '0 3 * * *', '--timezone', 'Asia/Seoul', '--target', 'local', '--when-data-changes', '--name', 'nightly');
    expect(added.code, added.stderr).toBe(0);
    // The next run in the schedule's zone, named (03:00 Seoul), with the UTC instant after it.
    expect(added.stdout).toMatch(/^Added local schedule nightly: 0 3 \* \* \* in Asia\/Seoul, next \w{3} \d{4}-\d\d-\d\d 03:00 Asia\/Seoul \(\d{4}-\d\d-\d\dT18:00:00.000Z\)\.\nLocal schedules run only while the Pipewright app or `pipewright schedule --serve` is running\.\n$/);
    const help = await cli('schedules', '--help');
    expect(help.stdout).toContain('--target argo|kfp|local');
    expect(help.stdout).toContain('local: the schedules in this computer\'s data folder');
    const stored = JSON.parse(await readFile(join(dir, 'data', 'schedules.json'), 'utf8')) as { schedules: { name: string; file: string; trigger: string }[] };
    expect(stored.schedules).toMatchObject([{ name: 'nightly', file: join(dir, 'smoke.pipewright.json'), trigger: 'data-changed' }]);
    const list = await cli('schedules', 'list', '--target', 'local');
    expect(list.stdout.split('\n')[1]).toMatch(/^nightly\s+korean-llm-smoke\s+0 3 \* \* \*\s+Asia\/Seoul\s+data changed\s+active\s+1\s+on\s+-$/);
    expect((await cli('schedules', 'pause', 'nightly', '--target', 'local')).stdout).toBe('Paused local schedule nightly.\n');
    expect((await cli('schedules', 'list', '--target', 'local')).stdout).toMatch(/paused/);
    expect((await cli('schedules', 'resume', 'nightly', '--target', 'local')).stdout).toBe('Resumed local schedule nightly.\n');
    const controller = new AbortController();
    const serving = cliWith(controller.signal, 'schedule', '--serve');
    setTimeout(() => controller.abort(), 300);
    const served = await serving;
    expect(served.code, served.stderr).toBe(0);
    expect(served.stdout).toMatch(/^Running 1 local schedule from .*data until Ctrl-C; they run only while this \(or the app\) is running\.\n/);
    expect((await cli('schedules', 'delete', 'nightly', '--target', 'local')).code).toBe(0);
    expect((await cli('schedules', 'list', '--target', 'local')).stdout).toBe('No local schedules.\n');
    const missing = await cli('schedules', 'delete', 'nightly', '--target', 'local');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no local schedule "nightly" (there are: none)');
  });

  it('--out is not for local, and a bad cron adds nothing', async () => {
    expect((await cli('schedule', 'smoke.pipewright.json', '--weekly', '--target', 'local', '--out', 'x')).code).toBe(2);
    const bad = await cli('schedule', 'smoke.pipewright.json', '--cron', '0 3 * *', '--target', 'local');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/has 4 fields/);
    expect((await cli('schedules', 'list', '--target', 'local')).stdout).toBe('No local schedules.\n');
  });
});
