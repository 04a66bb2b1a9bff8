import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE_CHANNEL, IPC_OPEN_EXTERNAL_CHANNEL } from '../shared/api/bridge.ts';
import type { PipewrightBridge } from '../shared/api/bridge.ts';

// Electron's binary is not needed: the preload only touches contextBridge and ipcRenderer.
const exposed = vi.hoisted(() => ({ bridge: null as unknown, invoked: [] as unknown[][] }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (_name: string, api: unknown) => void (exposed.bridge = api) },
  ipcRenderer: {
    on: () => {},
    send: () => {},
    invoke: async (...args: unknown[]) => {
      exposed.invoked.push(args);
      return args[0] === IPC_OPEN_EXTERNAL_CHANNEL && String(args[1]).startsWith('file:') ? { ok: false, message: 'Not opened: only http and https links open in the browser, not file:.' } : { ok: true };
    },
  },
}));

const loadBridge = async () => {
  await import('./preload.ts');
  return exposed.bridge as Required<PipewrightBridge>;
};

afterEach(() => {
  vi.unstubAllGlobals();
  exposed.invoked = [];
});

describe('the preload bridge', () => {
  it('exposes invoke, onEvent and openExternal only', async () => {
    expect(Object.keys(await loadBridge()).sort()).toEqual(['invoke', 'onEvent', 'openExternal']);
  });

  it('openExternal without a user activation asks the main process nothing', async () => {
    vi.stubGlobal('navigator', { userActivation: { isActive: false } });
    const bridge = await loadBridge();
    await expect(bridge.openExternal('https://mlflow.example/')).rejects.toThrow('Not opened: links open in the browser only from a click.');
    expect(exposed.invoked).toEqual([]);
  });

  it('openExternal within a click goes to the main process, which may still refuse', async () => {
    vi.stubGlobal('navigator', { userActivation: { isActive: true } });
    const bridge = await loadBridge();
    await bridge.openExternal('https://mlflow.example/');
    expect(exposed.invoked).toEqual([[IPC_OPEN_EXTERNAL_CHANNEL, 'https://mlflow.example/']]);
    await expect(bridge.openExternal('file:///etc/passwd')).rejects.toThrow(/not file:/);
  });

  it('invoke passes only the method and the arguments, and whether a click or key press came just before', async () => {
    const activation = { isActive: false };
    vi.stubGlobal('navigator', { userActivation: activation });
    const bridge = await loadBridge();
    await bridge.invoke({ method: 'getSettings', args: [], extra: 'dropped', activated: true } as never);
    activation.isActive = true;
    await bridge.invoke({ method: 'startRun', args: [{}] });
    expect(exposed.invoked).toEqual([
      [IPC_INVOKE_CHANNEL, { method: 'getSettings', args: [] }, false],
      [IPC_INVOKE_CHANNEL, { method: 'startRun', args: [{}] }, true],
    ]);
  });
});
