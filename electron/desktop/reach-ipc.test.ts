/** The desktop reach gate wired into the IPC handler with the real back end (the rules themselves: reach.test.ts). */
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IpcMain, WebContents } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IPC_INVOKE_CHANNEL, IPC_OPEN_EXTERNAL_CHANNEL } from '../../shared/api/bridge.ts';
import type { RpcResponse } from '../../shared/api/rpc.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { createBackend } from '../services/backend.ts';
import type { NativeDialogs } from '../services/backend.ts';
import type { KubeconfigPrograms } from '../services/kube/kubeconfigExec.ts';
import { registerIpc } from './ipc.ts';
import { createLinkGate, createReach } from './reach.ts';

class FakeIpcMain extends EventEmitter {
  handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) {
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
}

const document: PipelineDocument = { format: 'pipewright.pipeline/v2', name: 'p', nodes: [], edges: [] };

describe('the IPC handler with the real back end', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pipewright-reach-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  function wire() {
    const chosen: { open: string | null; save: string | null; folder: string | null } = { open: null, save: null, folder: null };
    const native: NativeDialogs = {
      showOpenDialog: async () => chosen.open,
      showSaveDialog: async () => chosen.save,
      showFolderDialog: async () => chosen.folder,
    };
    let confirm = false;
    let confirmKubeconfig = false;
    const askedKubeconfig: KubeconfigPrograms[][] = [];
    const situations: string[] = [];
    const holder: { backend?: ReturnType<typeof createBackend> } = {};
    const reach = createReach({
      recentFiles: async () => (await holder.backend!.api.listRecentFiles()).map((f) => f.path),
      currentPythonPath: async () => (await holder.backend!.api.getSettings()).pythonPath,
      confirmPythonChange: async () => confirm,
      currentKubeconfigFiles: async () => (await holder.backend!.api.getSettings()).kubeconfigFiles,
      unconfirmedKubeconfigPrograms: async () => holder.backend!.kubeconfigPrograms.unconfirmed(),
      // The native dialog's stand-in: records what it was shown, answers as the test says.
      confirmKubeconfigPrograms: async (list, situation) => {
        askedKubeconfig.push([...list]);
        situations.push(situation);
        return confirmKubeconfig;
      },
      recordKubeconfigConfirmed: (list) => holder.backend!.kubeconfigPrograms.recordConfirmed(list),
    });
    const backend = createBackend({ dataDir: path.join(dir, 'data'), mode: 'desktop', dialogs: reach.recordDialogs(native) });
    holder.backend = backend;
    const ipcMain = new FakeIpcMain();
    const sender = {};
    const opened: string[] = [];
    const links = createLinkGate({ openExternal: (u) => void opened.push(u) });
    registerIpc({
      ipcMain: ipcMain as unknown as IpcMain,
      server: backend.server,
      events: { subscribe: () => () => {} },
      isOurWebContents: (contents) => contents === (sender as WebContents),
      reach,
      openLink: (url) => links.open(url),
    });
    const event = { sender, senderFrame: { url: 'app://pipewright/index.html', parent: null } };
    const call = (method: string, ...args: unknown[]) => ipcMain.handlers.get(IPC_INVOKE_CHANNEL)!(event, { method, args }, true) as Promise<RpcResponse>;
    const callScripted = (method: string, ...args: unknown[]) => ipcMain.handlers.get(IPC_INVOKE_CHANNEL)!(event, { method, args }, false) as Promise<RpcResponse>;
    const openLink = (url: unknown, from: unknown = event) => ipcMain.handlers.get(IPC_OPEN_EXTERNAL_CHANNEL)!(from, url);
    return { call, callScripted, chosen, backend, setConfirm: (v: boolean) => (confirm = v), setConfirmKubeconfig: (v: boolean) => (confirmKubeconfig = v), askedKubeconfig, situations, openLink, opened };
  }

  it('writes nothing at a path the page made up; saves where the save dialog said', async () => {
    const { call, chosen } = wire();
    const target = path.join(dir, 'made-up.pipewright.json');
    expect(await call('saveFile', { path: target, document })).toEqual({ ok: false, error: { code: 'failed', message: expect.stringContaining(`cannot save to ${target}`) } });
    await expect(fs.stat(target)).rejects.toThrow(/ENOENT/);
    chosen.save = target;
    expect(await call('showSaveDialog', 'made-up')).toEqual({ ok: true, value: target });
    expect(await call('saveFile', { path: target, document })).toMatchObject({ ok: true, value: { ok: true, path: target } });
    // Saved files go to the recent list, so they open again after a restart.
    expect(await call('listRecentFiles')).toMatchObject({ ok: true, value: [{ path: target }] });
  });

  it('reads nothing at a path the page made up', async () => {
    const { call } = wire();
    const secret = path.join(dir, 'secret.json');
    await fs.writeFile(secret, '{"format":"pipewright.pipeline/v2","name":"s","nodes":[],"edges":[]}');
    expect(await call('openFile', secret)).toMatchObject({ ok: false, error: { message: expect.stringContaining(`cannot open ${secret}`) } });
    expect(await call('listDirectory', dir, {})).toMatchObject({ ok: false, error: { message: expect.stringContaining('listDirectory') } });
  });

  it('exports into the chosen folder only, and nothing when one name is refused', async () => {
    const { call, chosen } = wire();
    const out = path.join(dir, 'out');
    chosen.folder = out;
    await call('showFolderDialog');
    expect(await call('exportFiles', { dir: out, files: { 'pipeline.yaml': 'a', '.profile': 'b' } })).toMatchObject({ ok: false, error: { message: expect.stringContaining('".profile" starts with a dot') } });
    await expect(fs.stat(out)).rejects.toThrow(/ENOENT/);
    expect(await call('exportFiles', { dir: out, files: { 'pipeline.yaml': 'a', 'steps/cpt.py': 'b' } })).toMatchObject({ ok: true });
    expect(await fs.readFile(path.join(out, 'steps', 'cpt.py'), 'utf8')).toBe('b');
  });

  it('keeps the interpreter unless the native dialog is confirmed', async () => {
    const { call, setConfirm } = wire();
    expect(await call('updateSettings', { pythonPath: '/tmp/x/python' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('/tmp/x/python for local runs was not confirmed') } });
    expect(await call('getSettings')).toMatchObject({ ok: true, value: { pythonPath: null } });
    setConfirm(true);
    expect(await call('updateSettings', { pythonPath: '/tmp/x/python' })).toMatchObject({ ok: true });
    expect(await call('getSettings')).toMatchObject({ ok: true, value: { pythonPath: '/tmp/x/python' } });
  });

  it('adds a kubeconfig whose exec plugin runs a program only once the native dialog is confirmed; a plain one without asking', async () => {
    const { call, setConfirmKubeconfig, askedKubeconfig } = wire();
    const eks = path.join(dir, 'eks.yaml');
    await fs.writeFile(eks, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers:\n- name: eks-admin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: [eks, get-token, --cluster-name, prod]\n');
    const plain = path.join(dir, 'plain.yaml');
    await fs.writeFile(plain, 'apiVersion: v1\nkind: Config\nusers:\n- name: me\n  user:\n    token: abc\n');
    const refused = await call('updateSettings', { kubeconfigFiles: [eks] });
    expect(refused).toMatchObject({ ok: false, error: { message: expect.stringContaining(`adding ${eks} was not confirmed`) } });
    expect((refused as { error: { message: string } }).error.message).toContain('aws eks get-token --cluster-name prod (user eks-admin)');
    expect(askedKubeconfig).toEqual([[{ file: eks, commands: ['aws eks get-token --cluster-name prod (user eks-admin)'] }]]);
    expect(await call('getSettings')).toMatchObject({ ok: true, value: { kubeconfigFiles: [] } });
    expect(await call('updateSettings', { kubeconfigFiles: [plain] })).toMatchObject({ ok: true });
    expect(askedKubeconfig).toHaveLength(1);
    setConfirmKubeconfig(true);
    expect(await call('updateSettings', { kubeconfigFiles: [plain, eks] })).toMatchObject({ ok: true, value: { kubeconfigFiles: [plain, eks] } });
    expect(askedKubeconfig).toHaveLength(2);
    // Already in the list: reordering or removing asks nothing.
    setConfirmKubeconfig(false);
    expect(await call('updateSettings', { kubeconfigFiles: [eks] })).toMatchObject({ ok: true });
    expect(askedKubeconfig).toHaveLength(2);
  });

  it('a confirmed kubeconfig edited to run a new program: asked again before a cluster call; declined, refused; a token refresh asks nothing', async () => {
    const { call, callScripted, setConfirmKubeconfig, askedKubeconfig, situations } = wire();
    const file = path.join(dir, 'prod.yaml');
    const user = (extra: string, token: string) =>
      `apiVersion: v1\nkind: Config\ncurrent-context: prod\nclusters:\n- name: prod\n  cluster: { server: "https://127.0.0.1:9" }\ncontexts:\n- name: prod\n  context: { cluster: prod, user: oidc }\nusers:\n- name: oidc\n  user:\n    exec:\n      command: kubectl\n      args: [oidc-login, get-token]\n- name: gke\n  user:\n    auth-provider: { name: gcp, config: { access-token: ${token} } }\n${extra}`;
    await fs.writeFile(file, user('', 'one'));
    setConfirmKubeconfig(true);
    expect(await call('updateSettings', { kubeconfigFiles: [file] })).toMatchObject({ ok: true });
    const preflight = { document, target: 'argo', context: 'nope' };
    // The loader takes the file (the context is wrong on purpose: nothing leaves this machine).
    expect(await call('runPreflight', preflight)).toMatchObject({ ok: true, value: { findings: [{ code: 'cluster-unreachable', message: expect.stringContaining('No context "nope"') }] } });
    await fs.writeFile(file, user('', 'two'));
    expect(await call('runPreflight', preflight)).toMatchObject({ ok: true });
    expect(situations).toEqual(['add']);
    // Someone adds a plugin to the confirmed file.
    await fs.writeFile(file, user('- name: evil\n  user:\n    exec: { command: /tmp/steal.sh }\n', 'two'));
    setConfirmKubeconfig(false);
    const refused = await call('runPreflight', preflight);
    expect(refused).toMatchObject({ ok: false, error: { reason: { kind: 'kubeconfig-programs', situation: 'changed', declined: true, files: [{ file, commands: ['/tmp/steal.sh (user evil)'] }] } } });
    expect(askedKubeconfig.at(-1)).toEqual([{ file, commands: ['/tmp/steal.sh (user evil)'] }]);
    // Without a click, not asked again; and the back end refuses on its own too (the status reports it).
    expect(await callScripted('listContexts')).toMatchObject({ ok: false, error: { reason: { situation: 'changed' } } });
    expect(await callScripted('describeKubeconfig')).toMatchObject({ ok: true, value: { unconfirmed: [{ file, commands: ['/tmp/steal.sh (user evil)'] }] } });
    expect(situations).toEqual(['add', 'changed']);
    setConfirmKubeconfig(true);
    expect(await call('runPreflight', preflight)).toMatchObject({ ok: true });
    expect(situations).toEqual(['add', 'changed', 'changed']);
    // Remembered with the settings: a new back end (a restart) asks nothing.
    expect(await wire().call('runPreflight', preflight)).toMatchObject({ ok: true });
    expect(situations).toHaveLength(3);
  });

  it('a run started by a script, with no click before it, never reaches the runs service', async () => {
    const { callScripted } = wire();
    const request = { document, target: 'local' };
    expect(await callScripted('startRun', request)).toMatchObject({ ok: false, error: { message: expect.stringContaining('Starting a run runs code') } });
    // With a click, the call goes on to the back end (which here has no runs service).
    expect(await wire().call('startRun', request)).toMatchObject({ ok: false, error: { code: 'not-available' } });
  });

  it('opens links only for our window, http(s) only', async () => {
    const { openLink, opened } = wire();
    expect(await openLink('https://mlflow.example/')).toEqual({ ok: true });
    expect(await openLink('file:///etc/passwd')).toMatchObject({ ok: false });
    expect(await openLink('https://other.example/', { sender: {}, senderFrame: { url: 'app://pipewright/index.html', parent: null } })).toEqual({
      ok: false,
      message: 'refused: the caller is not a Pipewright window',
    });
    expect(opened).toEqual(['https://mlflow.example/']);
  });
});
