/**
 * "When the data changes" on Kubeflow Pipelines, for real on the emulator's execute mode: the recurring run
 * made by `pipewright schedule --target kfp --when-data-changes` is ticked as KFP's scheduled-workflow
 * controller does; each run's Workflow is driven by the emulated KFP driver (inputs resolved, the `pipeline`
 * sub-DAG's triggerPolicy.condition evaluated over the data check's `changed` output) and its components run
 * by the emulated launcher in front of their own code (data-check, dataset, preprocess, record-data as
 * processes; the data check reaches the API server as pipeline-runner, held to the RBAC objects). The corpus is
 * an s3:// object, as KFP needs (a path on this machine is refused): an importer task on KFP, listed by the data
 * check from an S3 stand-in (SigV4, credentials from a Secret through the PlatformSpec's secretAsEnv), and
 * downloaded by preprocess's launcher from the emulated object store holding the same object. Without the
 * Role the check fails and says what to apply; with the Role `--out` wrote (applied with kubectl): the first
 * tick runs and records, an unchanged tick skips the pipeline (run SUCCEEDED, sub-DAG SKIPPED), changed data
 * with a failing step records nothing, and the next tick runs again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.ts';
import type { CliIo } from '../../electron/cli/types.ts';
import { startS3StandIn, type S3StandIn } from '../../electron/services/schedules/s3StandIn.testkit.ts';
import { createRunsService } from '../../electron/services/runsService.ts';
import { PYTHON } from '../../node-catalog/steps.testkit.ts';
import type { RunSummary } from '../../shared/runs/types.ts';
import { serializePipeline } from '../../shared/pipeline/load.ts';
import { dataCheckConfigMapName } from '../../shared/schedules/dataCheck/argo.ts';
import { KFP_DATA_UNCHANGED_MESSAGE } from '../../shared/schedules/dataCheck/outcome.ts';
import { startKubeEmulator, type KubeEmulator, type KubeObject } from '../kube-emulator/index.ts';
import { kubectl, waitFor } from '../kube-emulator/test-helpers.ts';
import { miniDocument } from './harness.ts';

const KFP_NS = 'kubeflow';
const SCHEDULE = 'corpus-refresh';
let root: string;
let emulator: KubeEmulator;
let s3: S3StandIn;
let corpusText = '{"text": "안녕하세요, 반갑습니다 여러분. 오늘도 좋은 하루."}\n{"text": "두 번째 문장입니다, 충분히 길어요."}\n';

/** The object s3://datasets/corpus.jsonl: in the launcher's object store, and listed by the S3 API with its MD5 as ETag. */
function putCorpus(text: string): void {
  corpusText = text;
  const file = path.join(root, 'cluster', 'kfp-object-store', 's3', 'datasets', 'corpus.jsonl');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  s3.objects['corpus.jsonl'] = createHash('md5').update(text).digest('hex');
}
const savedKubeconfig = process.env.KUBECONFIG;

interface RunView {
  run_id: string;
  display_name: string;
  state: string;
  run_details?: { task_details?: { display_name: string; state?: string }[] };
}

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const env = { KUBECONFIG: emulator.kubeconfigPath, PIPEWRIGHT_DATA_DIR: path.join(root, 'data') };
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: root, env, isTTY: false, signal: new AbortController().signal };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const getRun = async (id: string) => (await (await fetch(`${emulator.kfpUrl}/apis/v2beta1/runs/${id}`, { headers: { Authorization: `Bearer ${emulator.token}` } })).json()) as RunView;

/** Ticks the recurring run and waits for the run it started to end; its state, tasks and pods' logs by pipeline task. */
async function tick(recurringRunId: string) {
  const started = emulator.controller.tickRecurringRun(recurringRunId);
  if (!('started' in started)) throw new Error(`the tick started nothing: ${started.skipped}`);
  const id = started.started.run_id;
  const run = await waitFor(async () => {
    const r = await getRun(id);
    return r.state === 'SUCCEEDED' || r.state === 'FAILED' ? r : undefined;
  }, 90_000, `run ${id} to end`);
  const pods = emulator.controller.list('pods', KFP_NS).filter((p) => p.metadata.labels?.['pipeline/runid'] === id);
  /** The main log of the pod whose Argo node name ends with `suffix` (`.data-check.executor`, `.pipeline-driver`), or undefined when none ran. */
  const log = (suffix: string) => {
    const pod = pods.find((p) => p.metadata.annotations?.['workflows.argoproj.io/node-name']?.endsWith(suffix));
    return pod ? emulator.controller.logLines(KFP_NS, pod.metadata.name).join('\n') : undefined;
  };
  const tasks = new Map((run.run_details?.task_details ?? []).map((t) => [t.display_name, t.state]));
  return { run, log, tasks };
}

const recorded = () => (emulator.controller.get('configmaps', KFP_NS, dataCheckConfigMapName('korean-llm-smoke', SCHEDULE)) as (KubeObject & { data?: Record<string, string>; metadata: { resourceVersion?: string } }) | undefined);

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'pw-data-check-kfp-'));
  emulator = await startKubeEmulator({ execute: { root: path.join(root, 'cluster'), commands: { python3: PYTHON } }, timeScale: 0.02 });
  s3 = await startS3StandIn();
  putCorpus(corpusText);
  const credentials = s3.env();
  emulator.apply('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's3-creds', namespace: KFP_NS }, type: 'Opaque', data: Object.fromEntries(Object.entries(credentials).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) } as KubeObject);
  const doc = miniDocument();
  doc.nodes = doc.nodes.filter((n) => n.id !== 'cpt');
  doc.edges = doc.edges.filter((e) => e.target !== 'cpt');
  const corpus = doc.nodes.find((n) => n.id === 'corpus')!;
  corpus.params = { ...corpus.params, uri: 's3://datasets/corpus.jsonl' };
  doc.settings = { ...doc.settings, secretEnv: Object.keys(credentials).map((key) => ({ secret: 's3-creds', key, env: key })) };
  writeFileSync(path.join(root, 'p.pipewright.json'), serializePipeline(doc));
  process.env.KUBECONFIG = emulator.kubeconfigPath;
});

afterAll(async () => {
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedKubeconfig;
  await emulator?.close();
  await s3?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('KFP: when the data changes', () => {
  it('the driver evaluates the condition on the check\'s output: runs, skips when unchanged, records only successful runs', async () => {
    const args = ['p.pipewright.json', '--cron', '0 3 * * *', '--target', 'kfp', '--name', SCHEDULE, '--when-data-changes'];
    const made = await cli('schedule', ...args);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toMatch(/warning {2}schedule corpus-refresh: service account kubeflow\/pipeline-runner may not get\/update\/create ConfigMap/);
    const idOf = (stdout: string) => /, id ([0-9a-f-]+)/.exec(stdout)![1];

    // Without the Role the data check fails, naming what the account may not do and the file to apply; nothing else runs.
    const denied = await tick(idOf(made.stdout));
    expect(denied.run.state).toBe('FAILED');
    expect(denied.tasks.get('data-check')).toBe('FAILED');
    expect(denied.log('.data-check.executor')).toMatch(/User "system:serviceaccount:kubeflow:pipeline-runner" cannot get resource "configmaps"[\s\S]*data-check-rbac\.yaml/);
    expect(denied.log('.pipeline-driver')).toBeUndefined();
    expect(recorded()).toBeUndefined();

    const out = await cli('schedule', ...args, '--out', 'sched');
    expect(out.code, out.stderr).toBe(0);
    const applied = await kubectl(emulator, ['apply', '-f', path.join(root, 'sched', 'data-check-rbac.yaml')]);
    expect(applied.code, applied.stderr).toBe(0);
    const id = idOf(made.stdout);

    // First tick with access: nothing recorded yet, so the condition holds, the pipeline runs and record-data records the run.
    const first = await tick(id);
    expect(first.run.state, JSON.stringify([...first.tasks])).toBe('SUCCEEDED');
    expect(first.log('.data-check.executor')).toMatch(/runs: no successful run of schedule corpus-refresh recorded its data yet/);
    expect(first.log('.pipeline-driver')).toContain(`condition "inputs.parameter_values['pipelinechannel--data-check-changed'] == 'true'" evaluated true`);
    expect(first.tasks.get('preprocess')).toBe('SUCCEEDED');
    expect(first.log('.preprocess.executor')).toContain('preprocess: read 2, kept 2');
    expect(first.tasks.get('record-data')).toBe('SUCCEEDED');
    // The run's name as KFP's driver resolves {{$.pipeline_job_name}}: the run's display name.
    expect(recorded()?.data?.run).toBe(first.run.display_name);
    const fingerprints = JSON.parse(recorded()!.data!.fingerprints) as { nodeId: string; sha256: string }[];
    expect(fingerprints.map((f) => f.nodeId)).toEqual(['corpus']);
    expect(fingerprints[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const version = recorded()!.metadata.resourceVersion;
    const firstRecordedAt = recorded()!.data!.recordedAt;

    // Unchanged data: the sub-DAG is skipped as KFP shows it (run SUCCEEDED, the condition's DAG SKIPPED, its tasks never run).
    const same = await tick(id);
    expect(same.run.state).toBe('SUCCEEDED');
    expect(same.log('.data-check.executor')).toContain(`data-check: skipped: data unchanged since the last successful run ${first.run.display_name}`);
    expect(same.log('.pipeline-driver')).toContain('evaluated false');
    expect(same.tasks.get('pipeline')).toBe('SKIPPED');
    expect(same.tasks.has('corpus')).toBe(false);
    expect(same.log('.corpus.executor')).toBeUndefined();
    expect(same.log('.record-data.executor')).toBeUndefined();
    expect(recorded()!.metadata.resourceVersion).toBe(version);

    // Changed data, but a step fails: the pipeline ran, record-data never did, the baseline stays.
    putCorpus(corpusText + '{"text": "새로 추가된 문장입니다, 길이는 충분합니다."}\n');
    emulator.controller.setStepBehavior({ step: 'preprocess' }, { killWhenLine: '.' });
    const failed = await tick(id);
    emulator.controller.clearStepBehaviors();
    expect(failed.run.state).toBe('FAILED');
    expect(failed.log('.data-check.executor')).toMatch(/runs: data changed since the last successful run .*: node "corpus" \(s3:\/\/datasets\/corpus\.jsonl\): /);
    expect(failed.tasks.get('corpus')).toBe('SUCCEEDED');
    // preprocess ran (not a cache hit of the first run's: the data check turns caching off for the data readers).
    expect(failed.tasks.get('preprocess')).toBe('FAILED');
    expect(failed.log('.record-data.executor')).toBeUndefined();
    expect(recorded()!.metadata.resourceVersion).toBe(version);
    expect(recorded()?.data?.run).toBe(first.run.display_name);

    // The next tick still sees the change (the failed run recorded nothing), runs, and records.
    const rerun = await tick(id);
    expect(rerun.run.state).toBe('SUCCEEDED');
    expect(rerun.tasks.get('record-data')).toBe('SUCCEEDED');
    // The new data itself, not a cached copy of the last run's (preprocess reads the object and runs uncached).
    expect(rerun.log('.preprocess-driver')).not.toContain('cache hit');
    expect(rerun.log('.preprocess.executor')).toContain('preprocess: read 3, kept 3');
    expect(recorded()?.data?.run).toBe(rerun.run.display_name);
    expect((await tick(id)).tasks.get('pipeline')).toBe('SKIPPED');

    // In the run history (`pipewright runs` imports them, the run core follows them): the skipped runs say why.
    const runs = await cli('runs', '--json');
    expect(runs.code, runs.stderr).toBe(0);
    const imported = JSON.parse(runs.stdout) as RunSummary[];
    const byKfpRun = (kfpRunId: string) => imported.find((r) => r.external?.kfpRunId === kfpRunId)!;
    expect(imported.every((r) => r.scheduledBy === `kfp:${id}`), runs.stdout).toBe(true);
    const service = createRunsService({ dataDir: path.join(root, 'data') });
    try {
      await service.ready;
      await service.manager.reattachRuns();
      const skipped = await service.manager.waitForRun(byKfpRun(same.run.run_id).id);
      expect(skipped.phase).toBe('succeeded');
      // The run says exactly what the check said (read from its log); its skipped steps say why.
      expect(skipped.message).toBe(`skipped: data unchanged since the last successful run ${first.run.display_name} at ${firstRecordedAt}`);
      expect([skipped.nodes.corpus.phase, skipped.nodes.preprocess.phase]).toEqual(['skipped', 'skipped']);
      expect(skipped.nodes.corpus.message).toBe(KFP_DATA_UNCHANGED_MESSAGE);
      const ran = await service.manager.waitForRun(byKfpRun(rerun.run.run_id).id);
      expect([ran.phase, ran.message, ran.nodes.corpus.phase, ran.nodes.preprocess.phase]).toEqual(['succeeded', undefined, 'succeeded', 'succeeded']);
      const broken = await service.manager.waitForRun(byKfpRun(failed.run.run_id).id);
      expect([broken.phase, broken.nodes.preprocess.phase]).toEqual(['failed', 'failed']);
      // The run without the Role failed in the check itself: its message names the account, what it may not do and the file to apply.
      const noRole = await service.manager.waitForRun(byKfpRun(denied.run.run_id).id);
      expect(noRole.phase).toBe('failed');
      expect(noRole.message).toMatch(/Failed: data-check: cannot read ConfigMap kubeflow\/pipewright-data\.korean-llm-smoke\.corpus-refresh: .*system:serviceaccount:kubeflow:pipeline-runner.*data-check-rbac\.yaml/);
      expect([noRole.nodes.corpus.phase, noRole.nodes.preprocess.phase]).toEqual(['skipped', 'skipped']);
    } finally {
      await service.manager.close();
    }
  }, 240_000);
});
