/**
 * Stands in for the 'electron' module when the real preload is bundled into a plain Chromium page
 * (test/e2e/desktop-links.spec.ts): contextBridge puts the bridge on window, ipcRenderer records what
 * would have gone to the main process and answers as the main process's link gate does for http(s).
 */
type Recorder = { __ipc: unknown[][] };
const target = window as unknown as Recorder & Record<string, unknown>;
target.__ipc = [];

export const contextBridge = {
  exposeInMainWorld(name: string, api: unknown) {
    target[name] = api;
  },
};

export const ipcRenderer = {
  on() {},
  send() {},
  async invoke(channel: string, ...args: unknown[]) {
    target.__ipc.push([channel, ...args]);
    return { ok: true };
  },
};
