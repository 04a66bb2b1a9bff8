import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { startServer } from '../../electron/server/server.ts';
import type { RunningServer } from '../../electron/server/server.ts';
import { createApiClient } from '../../shared/api/index.ts';
import type { ApiEvent } from '../../shared/api/events.ts';
import { createHttpTransport, takeTokenFromLocation } from './httpTransport.ts';

let root: string;
let running: RunningServer;

beforeAll(async () => {
  // Node 20 has fetch but no WebSocket global; the browser has both.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= NodeWebSocket;
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'pipewright-client-'));
  await fs.mkdir(path.join(root, 'static'));
  running = await startServer({ dataDir: path.join(root, 'data'), staticDir: path.join(root, 'static') });
});

afterAll(async () => {
  await running.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('HTTP transport against the browser-mode server', () => {
  it('calls the back end and receives its events', async () => {
    const transport = createHttpTransport(running.origin, running.token);
    const api = createApiClient(transport);
    expect(await api.getAppInfo()).toMatchObject({ mode: 'browser' });
    const received = new Promise<ApiEvent>((resolve) => {
      const stop = transport.subscribe((event) => {
        stop();
        resolve(event);
      });
    });
    // The socket opens asynchronously; poll the setting until the event arrives.
    let event: ApiEvent | undefined;
    void received.then((value) => (event = value));
    for (let i = 0; i < 50 && !event; i++) {
      await api.updateSettings({ theme: i % 2 === 0 ? 'dark' : 'light' });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await received).toMatchObject({ type: 'settings-changed' });
  });

  it('surfaces validation errors and a missing token as errors', async () => {
    const api = createApiClient(createHttpTransport(running.origin, running.token));
    await expect(api.openFile('')).rejects.toMatchObject({ code: 'invalid-arguments' });
    const anonymous = createApiClient(createHttpTransport(running.origin, null));
    await expect(anonymous.getSettings()).rejects.toMatchObject({ code: 'transport', message: expect.stringContaining('401') });
  });
});

describe('connection status', () => {
  it('says disconnected when the back end goes, connected when it is back, and rejected when it no longer knows the token', async () => {
    const dataDir = path.join(root, 'status-data');
    const staticDir = path.join(root, 'static');
    let server = await startServer({ dataDir, staticDir, token: 'a'.repeat(64) });
    const port = server.port;
    const transport = createHttpTransport(server.origin, 'a'.repeat(64), { session: 'tab-1', retryMs: [50] });
    const seen: string[] = [];
    transport.onStatus((status) => seen.push(status));
    const stop = transport.subscribe(() => {});
    const reach = (status: string) => expect.poll(() => seen.at(-1), { timeout: 10_000 }).toBe(status);
    try {
      await reach('connected');
      await server.close();
      await reach('disconnected');
      // RPC fails meanwhile as a transport error, and the status stays told.
      await expect(createApiClient(transport).getAppInfo()).rejects.toMatchObject({ code: 'transport' });
      server = await startServer({ dataDir, staticDir, token: 'a'.repeat(64), port });
      await reach('connected');
      await server.close();
      server = await startServer({ dataDir, staticDir, token: 'b'.repeat(64), port });
      await reach('rejected');
      expect(seen).toEqual(['connecting', 'connected', 'disconnected', 'connected', 'disconnected', 'rejected']);
    } finally {
      stop();
      await server.close();
    }
  });
});

describe('takeTokenFromLocation', () => {
  function fakes(href: string) {
    const store = new Map<string, string>();
    const replaced: string[] = [];
    const storage = { getItem: (key: string) => store.get(key) ?? null, setItem: (key: string, value: string) => void store.set(key, value) } as Storage;
    const history = { state: null, replaceState: (_state: unknown, _title: string, url: string) => void replaced.push(url) } as unknown as History;
    return { location: { href } as Location, history, storage, replaced };
  }

  it('takes the token out of the address and keeps it for the tab', () => {
    const first = fakes('http://127.0.0.1:5000/?token=abc&lang=ko#x');
    expect(takeTokenFromLocation(first.location, first.history, first.storage)).toBe('abc');
    expect(first.replaced).toEqual(['/?lang=ko#x']);
    const reload = { ...first, location: { href: 'http://127.0.0.1:5000/' } as Location };
    expect(takeTokenFromLocation(reload.location, reload.history, reload.storage)).toBe('abc');
  });

  it('returns null when there is none (the cookie then carries it)', () => {
    const none = fakes('http://127.0.0.1:5000/');
    expect(takeTokenFromLocation(none.location, none.history, none.storage)).toBeNull();
  });
});
