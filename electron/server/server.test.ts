import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ApiEvent } from '../../shared/api/events.ts';
import { startServer } from './server.ts';
import type { RunningServer } from './server.ts';

let root: string;
let running: RunningServer;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: running.port, path: pathname, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${running.port}`, ...options.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = () => ({ 'X-Pipewright-Token': running.token });
const rpc = (method: string, args: unknown[], headers: Record<string, string> = auth()) =>
  request('/api/rpc', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ method, args }) });

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'pipewright-server-'));
  const staticDir = path.join(root, 'renderer');
  await fs.mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Pipewright</title>');
  await fs.writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  await fs.writeFile(path.join(root, 'secret.txt'), 'outside');
  running = await startServer({ dataDir: path.join(root, 'data'), staticDir });
});

afterAll(async () => {
  await running.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('browser-mode server', () => {
  it('listens on 127.0.0.1 and prints a URL with a long random token', () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
  });

  it.each(['/', '/assets/app.js', '/api/rpc', '/api/unknown'])('answers %s with 401 without the token', async (pathname) => {
    const reply = await request(pathname, { method: pathname === '/api/rpc' ? 'POST' : 'GET' });
    expect(reply.status).toBe(401);
    expect(reply.body).not.toContain(running.token);
  });

  it('refuses a wrong token', async () => {
    expect((await rpc('getSettings', [], { 'X-Pipewright-Token': 'f'.repeat(64) })).status).toBe(401);
    expect((await request('/?token=nope')).status).toBe(401);
  });

  it('trades the token in the URL for a cookie and redirects to a clean address', async () => {
    const first = await request(`/?token=${running.token}`);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await request('/', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Pipewright</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each(['evil.example:80', `attacker.com:${0}`, '127.0.0.1', '127.0.0.2:1'])('refuses Host %s (DNS rebinding)', async (host) => {
    const reply = await request('/', { headers: { Host: host, ...auth() } });
    expect(reply.status).toBe(403);
  });

  it('accepts localhost:PORT as Host', async () => {
    expect((await request('/', { headers: { Host: `localhost:${running.port}`, ...auth() } })).status).toBe(200);
  });

  it.each([
    [{ Origin: 'http://evil.example' }],
    [{ Origin: 'null' }],
    [{ Origin: 'http://127.0.0.1:1' }],
    [{ 'Sec-Fetch-Site': 'cross-site' }],
  ])('refuses the cross-origin RPC %j even with the token', async (headers) => {
    const reply = await rpc('getSettings', [], { ...auth(), ...headers });
    expect(reply.status).toBe(403);
  });

  it('round-trips an RPC with our own Origin', async () => {
    const reply = await rpc('getAppInfo', [], { ...auth(), Origin: running.origin });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { mode: 'browser', nativeDialogs: false } });
  });

  it('returns validation errors as data', async () => {
    const reply = await rpc('openFile', [7]);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
  });

  it('insists on a JSON content type (no form posts)', async () => {
    const reply = await request('/api/rpc', { method: 'POST', headers: { ...auth(), 'Content-Type': 'text/plain' }, body: '{}' });
    expect(reply.status).toBe(415);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const pathname of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const reply = await request(pathname, { headers: auth() });
      expect(reply.body).not.toContain('outside');
    }
  });

  it('serves the page for app routes and 404 for missing assets', async () => {
    expect((await request('/some/route', { headers: auth() })).status).toBe(200);
    expect((await request('/assets/missing.js', { headers: auth() })).status).toBe(404);
  });

  /**
   * Opens the event socket, hearing messages from the start: the server's first message can arrive
   * with the upgrade and be emitted before code awaiting 'open' runs.
   */
  function connect(headers: Record<string, string>, query = '', onMessage?: (event: ApiEvent) => void): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${running.port}/api/events${query}`, { headers });
      if (onMessage) ws.on('message', (data) => onMessage(JSON.parse(String(data)) as ApiEvent));
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  it('delivers events over the WebSocket', async () => {
    const messages: ApiEvent[] = [];
    let heard: () => void = () => {};
    const ws = await connect({ Origin: running.origin }, `?token=${running.token}`, (event) => {
      messages.push(event);
      heard();
    });
    const until = (check: () => boolean) => new Promise<void>((resolve) => {
      heard = () => check() && resolve();
      heard();
    });
    // On connecting: the settings as they are.
    await until(() => messages.length > 0);
    expect(messages[0]).toMatchObject({ type: 'settings-changed' });
    await rpc('updateSettings', [{ language: 'ko' }]);
    await until(() => messages.some((m) => m.type === 'settings-changed' && m.settings.language === 'ko'));
    expect(messages.at(-1)).toMatchObject({ type: 'settings-changed', settings: { language: 'ko' } });
    ws.close();
  });

  it.each([
    [{ Origin: 'http://127.0.0.1:1' }, '?token=TOKEN', /status 403/],
    [{ Origin: 'http://evil.example' }, '?token=TOKEN', /status 403/],
    [{}, '', /status 401/],
    [{}, '?token=wrong', /status 401/],
  ])('refuses the WebSocket with headers %j', async (headers, query, error) => {
    await expect(connect(headers, query.replace('TOKEN', running.token))).rejects.toThrow(error);
  });
});
