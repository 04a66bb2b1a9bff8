import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../fixtures/waitFor.ts';
import type { KubeEmulator, KubeObject } from './index.ts';

export { waitFor };

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

export interface RecordedEvent {
  type: string;
  object: KubeObject;
}

/** Opens a raw watch (`?watch=1`) over HTTP and records every event until `stop()`. */
export async function recordWatch(emulator: KubeEmulator, path: string, query = ''): Promise<{ events: RecordedEvent[]; stop: () => void }> {
  const abort = new AbortController();
  const res = await fetch(`${emulator.url}${path}?watch=1${query ? `&${query}` : ''}`, { headers: emulator.token ? { Authorization: `Bearer ${emulator.token}` } : {}, signal: abort.signal });
  const events: RecordedEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buffer.slice(0, nl)) as RecordedEvent);
          buffer = buffer.slice(nl + 1);
        }
      }
    } catch {
      // Aborted by stop().
    }
  })();
  return { events, stop: () => abort.abort() };
}

/** POSTs a workflow (JSON) to the emulator and returns what the API server stored. */
export async function createWorkflow(emulator: KubeEmulator, body: unknown, namespace = 'default'): Promise<KubeObject> {
  const res = await fetch(`${emulator.url}/apis/argoproj.io/v1alpha1/namespaces/${namespace}/workflows`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(emulator.token ? { Authorization: `Bearer ${emulator.token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as KubeObject;
}

/** Merge-patches an object over HTTP (what `kubectl patch --type merge` sends). */
export async function mergePatch(emulator: KubeEmulator, path: string, patch: unknown): Promise<Response> {
  return fetch(`${emulator.url}${path}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/merge-patch+json', ...(emulator.token ? { Authorization: `Bearer ${emulator.token}` } : {}) },
    body: JSON.stringify(patch),
  });
}
