import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeEmulator, KubeObject } from './index.ts';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));

function baseArgs(emulator: KubeEmulator): string[] {
  return ['--kubeconfig', emulator.kubeconfigPath, '--cache-dir', cacheDir];
}

/** Runs the real kubectl against the emulator and resolves with its exit code and output. */
export function kubectl(emulator: KubeEmulator, args: string[], options: { stdin?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile('kubectl', [...baseArgs(emulator), ...args], { timeout: options.timeoutMs ?? 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(options.stdin ?? '');
  });
}

/** Starts a long-running kubectl (`-w`, `logs -f`); read its output as it comes. */
export function spawnKubectl(emulator: KubeEmulator, args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number> } {
  const child = spawn('kubectl', [...baseArgs(emulator), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { child, output: () => out, exited };
}

/** Polls until `check` returns a value (not undefined/false), or throws after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function phaseOf(wf: KubeObject | undefined): string | undefined {
  return (wf?.status as { phase?: string } | undefined)?.phase;
}

export interface NodeView {
  id: string;
  name: string;
  displayName: string;
  type: string;
  phase: string;
  message?: string;
  children?: string[];
  boundaryID?: string;
}

export function nodesOf(wf: KubeObject | undefined): NodeView[] {
  return Object.values(((wf?.status as { nodes?: Record<string, NodeView> } | undefined)?.nodes ?? {}));
}

/** Waits for a workflow to reach a finished phase and returns it. */
export function waitForWorkflowDone(emulator: KubeEmulator, namespace: string, name: string, timeoutMs = 15_000): Promise<KubeObject> {
  return waitFor(() => {
    const wf = emulator.controller.get('workflows', namespace, name);
    return ['Succeeded', 'Failed', 'Error'].includes(phaseOf(wf) ?? '') ? wf : undefined;
  }, timeoutMs, `workflow ${namespace}/${name} to finish`);
}
