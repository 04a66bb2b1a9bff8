/** `pipewright preflight FILE --context C [--namespace N] [--json]` against the emulator: output, JSON contract, exit codes. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.ts';
import { serializePipeline } from '../../shared/pipeline/load.ts';
import { gpuNode, H100, pipeline, step } from '../fixtures/preflightCluster.ts';
import { startKubeEmulator } from '../kube-emulator/index.ts';
import type { KubeEmulator } from '../kube-emulator/index.ts';

let dir: string;
let emulator: KubeEmulator;

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, {
    stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, env: { KUBECONFIG: emulator.kubeconfigPath, PIPEWRIGHT_DATA_DIR: join(dir, 'data') }, isTTY: false, signal: new AbortController().signal,
  });
  return { status, stdout, stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-preflight-'));
  emulator = await startKubeEmulator({ namespaces: ['ml'] });
  emulator.apply('nodes', gpuNode('gpu-a', H100, 4));
  const fits = pipeline([step('data', 'dataset'), step('sft', 'sft', { gpus: 2, gpuProduct: H100 })]);
  const tooBig = pipeline([step('data', 'dataset'), step('sft', 'sft', { gpus: 8, gpuProduct: H100 })], { secretEnv: [{ secret: 'hf-token', key: 'token', env: 'HF_TOKEN' }] });
  await writeFile(join(dir, 'fits.pipewright.json'), serializePipeline(fits));
  await writeFile(join(dir, 'big.pipewright.json'), serializePipeline(tooBig));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('pipewright preflight', () => {
  it('exit 0 and a one-line ok when the cluster can run it', async () => {
    const r = await cli('preflight', 'fits.pipewright.json', '--context', emulator.context, '--namespace', 'ml');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`ok  namespace ml of context ${emulator.context}: the cluster can run this pipeline now\n`);
  });

  it('--json: exactly the contract, exit 1 on a blocking problem', async () => {
    const r = await cli('preflight', 'big.pipewright.json', '--context', emulator.context, '-n', 'ml', '--json');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { ok: boolean; findings: Array<Record<string, unknown>> };
    expect(Object.keys(report)).toEqual(['ok', 'findings']);
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => Object.keys(f))).toEqual([['code', 'severity', 'node', 'message', 'fix'], ['code', 'severity', 'node', 'message', 'fix']]);
    expect(report.findings.map((f) => `${f.code} ${f.node}`)).toEqual(['gpu-insufficient sft', 'secret-missing null']);
  });

  it('text: each finding with its node and fix, and a summary', async () => {
    const r = await cli('preflight', 'big.pipewright.json', '--context', emulator.context, '--namespace', 'ml');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('error   gpu-insufficient (node sft): Step sft needs 8 nvidia.com/gpu');
    expect(r.stdout).toContain('        fix: kubectl create secret generic hf-token -n ml --from-literal=token=...');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`2 blocking problem(s), 0 warning(s) in namespace ml of context ${emulator.context}`);
  });

  it('--target kfp names the endpoint it checked: the service proxy by default, the --kfp-* options when given (a wrong one exit 2)', async () => {
    const plain = await cli('preflight', 'fits.pipewright.json', '--context', emulator.context, '-n', 'ml', '--target', 'kfp');
    expect(plain.stdout.split('\n')[0]).toBe('kfp     checked service ml-pipeline:8888 in namespace kubeflow, through the Kubernetes service proxy (single-user)');
    const other = await cli('preflight', 'fits.pipewright.json', '--context', emulator.context, '-n', 'ml', '--target', 'kfp', '--kfp-service', 'kfp-api', '--kfp-port', '9000', '--json');
    const report = JSON.parse(other.stdout) as { kfpEndpoint: unknown; findings: { code: string; message: string }[] };
    expect(report.kfpEndpoint).toEqual({ via: 'proxy', namespace: 'kubeflow', name: 'kfp-api', service: 'kfp-api:9000' });
    expect(report.findings.find((f) => f.code === 'engine-missing')?.message).toContain('no service kfp-api in namespace kubeflow');
    const wrong = await cli('preflight', 'fits.pipewright.json', '--context', emulator.context, '--target', 'kfp', '--kfp-scheme', 'ftp');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--kfp-scheme');
  });

  it('--help, a missing --context (exit 2), an unknown context and an unreadable file (exit 1)', async () => {
    const help = await cli('preflight', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('pipewright preflight FILE --context C [--namespace N]');
    expect(help.stdout).toContain('SelfSubjectAccessReview');
    const noContext = await cli('preflight', 'fits.pipewright.json');
    expect(noContext.status).toBe(2);
    expect(noContext.stderr).toContain('--context is required');
    const unknown = await cli('preflight', 'fits.pipewright.json', '--context', 'prod', '--json');
    expect(unknown.status).toBe(1);
    expect(JSON.parse(unknown.stdout).findings[0]).toMatchObject({ code: 'cluster-unreachable', message: expect.stringContaining('No context "prod"') });
    const missing = await cli('preflight', 'nope.pipewright.json', '--context', emulator.context);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error {2}file nope\.pipewright\.json: /);
  });
});
