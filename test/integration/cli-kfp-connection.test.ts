/**
 * `pipewright run --target kfp` reaching KFP the ways real installs need: the TLS overlay's https
 * port named `tls` (flags, or the app's KFP service setting), and a multi-user Kubeflow through the
 * ingress with the session cookie or with a service account token. Wrong flags are named.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { emulatorIt, emulatorOf, openClusterEnv } from './cluster-env.ts';
import type { ClusterEnv } from './cluster-env.ts';
import { miniDocument } from './harness.ts';

const BIN = path.join(import.meta.dirname, '../../bin/pipewright.mjs');
const WHY = 'it sets up the emulator\'s TLS overlay and multi-user KFP';

function workspace(env: () => ClusterEnv) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-cli-kfp-'));
  const file = path.join(dir, 'mini.pipewright.json');
  writeFileSync(file, JSON.stringify(miniDocument(), null, 2));
  const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: dir,
        env: { ...process.env, KUBECONFIG: env().kubeconfigPath, PIPEWRIGHT_DATA_DIR: path.join(dir, 'data'), NO_COLOR: '1', ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
      child.on('exit', (code) => resolve({ code: code ?? -1, output }));
    });
  const run = (...extra: string[]) => ['run', file, '--target', 'kfp', '--context', env().context, ...extra];
  return { dir, cli, run };
}

describe('pipewright run --target kfp on the TLS overlay', () => {
  let env: ClusterEnv;
  const w = workspace(() => env);
  beforeAll(async () => {
    env = await openClusterEnv({ timeScale: 0.005, kfpTls: true });
  });
  afterAll(async () => {
    await env?.close();
    rmSync(w.dir, { recursive: true, force: true });
  });

  emulatorIt('plain http to the tls port is refused as the server does; --kfp-scheme https --kfp-port tls runs; so does the app\'s setting', WHY, async () => {
    const plain = await w.cli(w.run());
    expect(plain.code).toBe(1);
    expect(plain.output).toContain('Client sent an HTTP request to an HTTPS server.');
    const flags = await w.cli(w.run('--kfp-scheme', 'https', '--kfp-port', 'tls'));
    expect(flags.code, flags.output).toBe(0);
    mkdirSync(path.join(w.dir, 'data'), { recursive: true });
    writeFileSync(path.join(w.dir, 'data', 'settings.json'), JSON.stringify({ version: 1, kfpService: { namespace: 'kubeflow', name: 'ml-pipeline', port: 'tls', scheme: 'https' } }));
    const settings = await w.cli(w.run());
    expect(settings.code, settings.output).toBe(0);
    const bad = await w.cli(w.run('--kfp-port', '70000', '--kfp-service', 'ML_Pipeline'));
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('--kfp-service: "ML_Pipeline" is not a service name');
    expect(bad.output).toContain('--kfp-port: "70000" is neither a port number (1-65535) nor a port name');
  }, 90_000);
});

describe('pipewright run --target kfp on a multi-user Kubeflow', () => {
  let env: ClusterEnv;
  const w = workspace(() => env);
  const cookie = 'MTcwMDAwMDAwMHxjbGktc2Vzc2lvbg==';
  beforeAll(async () => {
    env = await openClusterEnv({
      timeScale: 0.005,
      kfpMultiUser: { profiles: { 'team-a': ['alice@example.com', 'system:serviceaccount:team-a:default-editor'] }, sessions: { [cookie]: 'alice@example.com' } },
    });
  });
  afterAll(async () => {
    await env?.close();
    rmSync(w.dir, { recursive: true, force: true });
  });

  emulatorIt('the ingress with the session cookie from a variable, and a service account token; neither is stored', WHY, async () => {
    const emu = emulatorOf(env);
    const session = await w.cli(w.run('--namespace', 'team-a', '--kfp-url', emu.kfpIngressUrl!, '--kfp-cookie-env', 'KF_SESSION'), { KF_SESSION: cookie });
    expect(session.code, session.output).toBe(0);
    const sa = await w.cli(w.run('--namespace', 'team-a', '--kfp-url', emu.kfpDirectUrl!, '--kfp-auth', 'service-account'));
    expect(sa.code, sa.output).toBe(0);
    for (const entry of readdirSync(path.join(w.dir, 'data'), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) expect(readFileSync(path.join(entry.parentPath, entry.name), 'utf8')).not.toContain(cookie);
    }
    const noUrl = await w.cli(w.run('--namespace', 'team-a', '--kfp-auth', 'service-account'));
    expect(noUrl.code).toBe(1);
    expect(noUrl.output).toContain('--kfp-auth service-account needs --kfp-url');
    const unset = await w.cli(w.run('--namespace', 'team-a', '--kfp-url', emu.kfpIngressUrl!, '--kfp-cookie-env', 'NOT_SET_HERE'));
    expect(unset.code).toBe(1);
    expect(unset.output).toContain('--kfp-cookie-env NOT_SET_HERE: that environment variable is not set');
  }, 90_000);
});
