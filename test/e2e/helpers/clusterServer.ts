/**
 * A browser-mode back end of its own on the Kubernetes/KFP emulator, for the specs that drive cluster
 * work from the UI (runs, schedules, pre-flight): KUBECONFIG (and any variables given) in its
 * environment only, its own data folder and home; chromium only, as the desktop app has no such server.
 */
import type { APIRequestContext } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startKubeEmulator } from '../../kube-emulator/index.ts';
import type { KubeEmulator, KubeEmulatorOptions } from '../../kube-emulator/index.ts';
import { test } from '../fixtures.ts';
import { startBrowserMode } from '../globalSetup.ts';

export const BROWSER_ONLY = 'drives browser mode with its own back end (KUBECONFIG on the emulator), not the desktop app';

export interface ClusterServer {
  emulator: KubeEmulator;
  url: string;
  dataDir: string;
}

export interface ClusterServerOptions {
  /** The temporary folder's name starts with this. */
  prefix: string;
  emulator?: KubeEmulatorOptions;
  /** Set the emulator up (nodes, behaviours, grants) before the server starts. */
  prepare?(emulator: KubeEmulator): void;
  /** More variables for the server's environment (a session cookie's, say). */
  env?: Record<string, string>;
}

/**
 * Registers beforeAll / afterAll for the spec; the getter gives the server once it is up (undefined in
 * the electron project, where the test skips with BROWSER_ONLY).
 */
export function useClusterServer(options: ClusterServerOptions): () => ClusterServer | undefined {
  let server: ClusterServer | undefined;
  let stop: (() => void) | undefined;
  let base = '';
  test.beforeAll(async ({ browserName }, testInfo) => {
    if (testInfo.project.name === 'electron' || browserName !== 'chromium') return;
    const emulator = await startKubeEmulator(options.emulator ?? {});
    options.prepare?.(emulator);
    base = mkdtempSync(path.join(tmpdir(), `pipewright-e2e-${options.prefix}-`));
    const dataDir = path.join(base, 'data');
    mkdirSync(dataDir);
    mkdirSync(path.join(base, 'home'));
    try {
      const started = await startBrowserMode(dataDir, path.join(base, 'home'), { env: { KUBECONFIG: emulator.kubeconfigPath, ...options.env } });
      stop = started.stop;
      server = { emulator, url: started.url, dataDir };
    } catch (error) {
      await emulator.close();
      throw error;
    }
  });
  test.afterAll(async () => {
    stop?.();
    await server?.emulator.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (base) rmSync(base, { recursive: true, force: true });
  });
  return () => server;
}

/** Calls this server's back end directly (set-up and checks; the tests themselves use the UI). */
export async function rpcOn(server: ClusterServer, request: APIRequestContext, method: string, args: unknown[] = []): Promise<unknown> {
  const url = new URL(server.url);
  const res = await request.post(new URL('/api/rpc', url.origin).toString(), {
    headers: { 'Content-Type': 'application/json', Connection: 'close', 'X-Pipewright-Token': url.searchParams.get('token')! },
    data: { method, args },
  });
  const body = (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value;
}
