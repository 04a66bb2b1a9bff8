/**
 * "When the data changes" on Argo, for real on the emulator's execute mode: the CronWorkflow made by
 * `pipewright schedule --when-data-changes` is ticked; each Workflow's DataCheck, dataset, preprocess and
 * RecordData pods run as processes (the data check reaching the API server as the workflow's service
 * account, held to the RBAC objects). Without the Role it fails at once and says what to apply; with the
 * Role `--out` wrote (applied with kubectl): the first tick runs and records, an unchanged tick skips the
 * pipeline with "skipped: data unchanged", changed data runs, a failed run records nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.ts';
import type { CliIo } from '../../electron/cli/types.ts';
import { createRunsService } from '../../electron/services/runsService.ts';
import { PYTHON } from '../../node-catalog/steps.testkit.ts';
import type { RunSummary } from '../../shared/runs/types.ts';
import { serializePipeline } from '../../shared/pipeline/load.ts';
import { dataCheckConfigMapName } from '../../shared/schedules/dataCheck/argo.ts';
import { startKubeEmulator, type KubeEmulator, type KubeObject } from '../kube-emulator/index.ts';
import { kubectl } from '../kube-emulator/test-helpers.ts';
import { miniDocument } from './harness.ts';

const NS = 'default';
const SCHEDULE = 'corpus-refresh';
let root: string;
let emulator: KubeEmulator;
const savedKubeconfig = process.env.KUBECONFIG;

interface WfNode {
  displayName: string;
  type: string;
  phase: string;
  message?: string;
  outputs?: { parameters?: { name: string; value: string }[] };
}

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const env = { KUBECONFIG: emulator.kubeconfigPath, PIPEWRIGHT_DATA_DIR: path.join(root, 'data') };
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: root, env, isTTY: false, signal: new AbortController().signal };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Ticks the CronWorkflow and waits for the Workflow it started to end; its phase and nodes by display name. */
async function tick(): Promise<{ name: string; phase: string; nodes: Map<string, WfNode> }> {
  const started = emulator.controller.tickCronWorkflow(NS, SCHEDULE);
  if (!('started' in started)) throw new Error(`the tick started nothing: ${started.skipped}`);
  const name = started.started.metadata.name;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const wf = emulator.controller.get('workflows', NS, name) as KubeObject & { status?: { phase?: string; nodes?: Record<string, WfNode> } };
    const phase = wf.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Error') return { name, phase, nodes: new Map(Object.values(wf.status?.nodes ?? {}).map((n) => [n.displayName, n])) };
    if (Date.now() > deadline) throw new Error(`workflow ${name} still ${phase} after 60 s: ${JSON.stringify(Object.values(wf.status?.nodes ?? {}).map((n) => [n.displayName, n.phase, n.message]))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function podLog(workflow: string, task: string): string {
  const pod = emulator.controller.list('pods', NS).find((p) => p.metadata.labels?.['workflows.argoproj.io/workflow'] === workflow && p.metadata.annotations?.['workflows.argoproj.io/node-name']?.endsWith(`.${task}`));
  return pod ? emulator.controller.logLines(NS, pod.metadata.name).join('\n') : '';
}

const recorded = () => (emulator.controller.get('configmaps', NS, dataCheckConfigMapName('korean-llm-smoke', SCHEDULE)) as (KubeObject & { data?: Record<string, string> }) | undefined)?.data;
const param = (n: WfNode | undefined, name: string) => n?.outputs?.parameters?.find((p) => p.name === name)?.value;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'pw-data-check-'));
  emulator = await startKubeEmulator({ execute: { root: path.join(root, 'cluster'), commands: { python3: PYTHON } }, timeScale: 0.02 });
  const doc = miniDocument();
  doc.nodes = doc.nodes.filter((n) => n.id !== 'cpt');
  doc.edges = doc.edges.filter((e) => e.target !== 'cpt');
  const corpus = doc.nodes.find((n) => n.id === 'corpus')!;
  corpus.params = { ...corpus.params, uri: path.join(root, 'corpus.jsonl') };
  writeFileSync(path.join(root, 'corpus.jsonl'), '{"text": "안녕하세요, 반갑습니다 여러분. 오늘도 좋은 하루."}\n{"text": "두 번째 문장입니다, 충분히 길어요."}\n');
  writeFileSync(path.join(root, 'p.pipewright.json'), serializePipeline(doc));
  // The run core's cluster drivers read the process's KUBECONFIG, as the CLI's own process has it.
  process.env.KUBECONFIG = emulator.kubeconfigPath;
});

afterAll(async () => {
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedKubeconfig;
  await emulator?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('Argo: when the data changes', () => {
  it('checks the data on the cluster: runs, skips when unchanged, runs when changed, records only successful runs', async () => {
    const args = ['p.pipewright.json', '--cron', '0 3 * * *', '--target', 'argo', '--namespace', NS, '--name', SCHEDULE, '--when-data-changes'];
    const made = await cli('schedule', ...args);
    expect(made.code, made.stderr).toBe(0);
    // Created, with a warning: the cluster's RBAC (asked by SubjectAccessReview) lets the account do none of it yet.
    expect(made.stderr).toMatch(/^warning {2}schedule corpus-refresh: service account default\/default may not get\/update\/create ConfigMap pipewright-data\.korean-llm-smoke\.corpus-refresh: each run's data check will fail until a namespace admin applies this/m);
    expect(made.stderr).toContain('kind: RoleBinding');

    // Without the Role the check fails before anything else runs, naming what the account may not do and the file to apply.
    const denied = await tick();
    expect(denied.phase).toBe('Failed');
    expect(denied.nodes.get('DataCheck')?.phase).toBe('Failed');
    expect(denied.nodes.has('corpus')).toBe(false);
    expect(podLog(denied.name, 'DataCheck')).toMatch(/User "system:serviceaccount:default:default" cannot get resource "configmaps"[\s\S]*data-check-rbac\.yaml/);

    const out = await cli('schedule', ...args, '--out', 'sched');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('data-check-rbac.yaml');
    const applied = await kubectl(emulator, ['apply', '-f', path.join(root, 'sched', 'data-check-rbac.yaml')]);
    expect(applied.code, applied.stderr).toBe(0);
    // Made again now the Role is there: no warning.
    expect((await cli('schedules', 'delete', SCHEDULE, '--target', 'argo', '--namespace', NS)).code).toBe(0);
    const again = await cli('schedule', ...args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('warning');

    // First tick with access: nothing recorded yet, so it runs, and the last step records the data.
    const first = await tick();
    expect(first.phase).toBe('Succeeded');
    expect(param(first.nodes.get('DataCheck'), 'changed')).toBe('true');
    expect(param(first.nodes.get('DataCheck'), 'message')).toMatch(/^runs: no successful run of schedule corpus-refresh recorded its data yet/);
    expect(first.nodes.get('preprocess')?.phase).toBe('Succeeded');
    expect(first.nodes.get('RecordData')?.phase).toBe('Succeeded');
    expect(recorded()?.run).toBe(first.name);
    const fingerprints = JSON.parse(recorded()!.fingerprints) as { nodeId: string; sha256: string }[];
    expect(fingerprints.map((f) => f.nodeId)).toEqual(['corpus']);
    expect(fingerprints[0].sha256).toMatch(/^[0-9a-f]{64}$/);

    // Unchanged data: the pipeline is skipped, nothing is recorded, and the check says so.
    const same = await tick();
    expect(same.phase).toBe('Succeeded');
    expect(param(same.nodes.get('DataCheck'), 'changed')).toBe('false');
    expect(param(same.nodes.get('DataCheck'), 'message')).toBe(`skipped: data unchanged since the last successful run ${first.name} at ${recorded()!.recordedAt}`);
    expect(podLog(same.name, 'DataCheck')).toContain('data-check: skipped: data unchanged');
    expect(same.nodes.get('Pipeline')?.phase).toBe('Skipped');
    expect(same.nodes.has('corpus')).toBe(false);
    expect(same.nodes.get('RecordData')?.phase).toBe('Omitted');
    expect(recorded()?.run).toBe(first.name);

    // Changed data, but the run fails: it ran, and the baseline stays the last successful run's.
    writeFileSync(path.join(root, 'corpus.jsonl'), readFileSync(path.join(root, 'corpus.jsonl'), 'utf8') + '{"text": "새로 추가된 문장입니다, 길이는 충분합니다."}\n');
    emulator.controller.setStepBehavior({ step: 'preprocess' }, { killWhenLine: '.' });
    const failed = await tick();
    emulator.controller.clearStepBehaviors();
    expect(failed.phase).toBe('Failed');
    expect(param(failed.nodes.get('DataCheck'), 'message')).toMatch(/^runs: data changed since the last successful run .*: node "corpus" \(.*corpus\.jsonl\): content changed \(sha256 [0-9a-f]{12} → [0-9a-f]{12}, \d+ → \d+ bytes\)$/);
    expect(failed.nodes.get('preprocess')?.phase).toBe('Failed');
    expect(failed.nodes.get('RecordData')?.phase ?? 'never started').not.toBe('Succeeded');
    expect(recorded()?.run).toBe(first.name);

    // The next tick still sees the change (the failed run recorded nothing), runs, and records.
    const rerun = await tick();
    expect(rerun.phase).toBe('Succeeded');
    expect(param(rerun.nodes.get('DataCheck'), 'changed')).toBe('true');
    expect(rerun.nodes.get('RecordData')?.phase).toBe('Succeeded');
    expect(recorded()?.run).toBe(rerun.name);
    expect((await tick()).nodes.get('Pipeline')?.phase).toBe('Skipped');

    // In the run history (`pipewright runs` imports them, the run core follows them): the skipped run says why.
    const runs = await cli('runs', '--json');
    expect(runs.code, runs.stderr).toBe(0);
    const imported = JSON.parse(runs.stdout) as RunSummary[];
    const skippedRun = imported.find((r) => r.external?.workflowName === same.name)!;
    expect(skippedRun, runs.stdout).toBeDefined();
    const service = createRunsService({ dataDir: path.join(root, 'data') });
    try {
      await service.ready;
      await service.manager.reattachRuns();
      const end = await service.manager.waitForRun(skippedRun.id);
      expect(end.phase).toBe('succeeded');
      expect(end.message).toMatch(/^skipped: data unchanged since the last successful run corpus-refresh-\d+/);
      expect([end.nodes.corpus.phase, end.nodes.preprocess.phase]).toEqual(['skipped', 'skipped']);
      expect(end.nodes.corpus.message).toBe(end.message);
      const ran = await service.manager.waitForRun(imported.find((r) => r.external?.workflowName === rerun.name)!.id);
      expect([ran.phase, ran.nodes.preprocess.phase]).toEqual(['succeeded', 'succeeded']);
    } finally {
      await service.manager.close();
    }
  }, 240_000);
});
