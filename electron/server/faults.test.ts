/** The browser-mode server under bad input: it always answers with an error body, never a reset. */
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
const LIMIT = 1024 * 1024;

function post(body: string | Buffer, chunked = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: running.port,
        path: '/api/rpc',
        method: 'POST',
        headers: { Host: `127.0.0.1:${running.port}`, 'Content-Type': 'application/json', 'X-Pipewright-Token': running.token, ...(chunked ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    if (chunked) {
      const buffer = Buffer.from(body);
      for (let i = 0; i < buffer.length; i += 64 * 1024) req.write(buffer.subarray(i, i + 64 * 1024));
      req.end();
    } else req.end(body);
  });
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'pipewright-server-faults-'));
  await fs.mkdir(path.join(root, 'static'));
  running = await startServer({ dataDir: path.join(root, 'data'), staticDir: path.join(root, 'static'), maxBodyBytes: LIMIT });
});

afterAll(async () => {
  await running.close();
  await fs.rm(root, { recursive: true, force: true });
});

const deepDocument = (depth: number) =>
  `{"format":"pipewright.pipeline/v1","name":"deep","nodes":[{"id":"a","type":"dataset","position":{"x":0,"y":0},"params":{"uri":${'['.repeat(depth)}${']'.repeat(depth)}}}],"edges":[]}`;

describe('browser-mode server under faults', () => {
  it.each([
    ['with a Content-Length', false],
    ['chunked, without one', true],
  ])('answers a body over the limit with 413 and a message (%s), not a reset', async (_name, chunked) => {
    const reply = await post(`{"method":"getSettings","args":["${'x'.repeat(5 * LIMIT)}"]}`, chunked);
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toEqual({ ok: false, error: { code: 'bad-request', message: 'the request is larger than 1 MiB, the most Pipewright accepts' } });
    // The server is still there for the next request.
    expect((await post('{"method":"getAppInfo","args":[]}')).status).toBe(200);
  });

  it('answers JSON nested 5,000 deep with a plain message', async () => {
    const reply = await post(`{"method":"saveRecovery","args":[{"draftId":"d","path":null,"name":"deep","document":${deepDocument(5000)}}]}`);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).error.message).toMatch(/^the request nests objects and lists more than 103 levels deep \(at line 1, column \d+\); a pipeline may nest at most 100 levels$/);
  });

  it('takes a document exactly at the pipeline limit (100 levels) and refuses one level more', async () => {
    const at = await post(`{"method":"saveRecovery","args":[{"draftId":"d","path":null,"name":"deep","document":${deepDocument(96)}}]}`);
    expect(JSON.parse(at.body)).toEqual({ ok: true, value: null });
    const over = await post(`{"method":"saveRecovery","args":[{"draftId":"d","path":null,"name":"deep","document":${deepDocument(97)}}]}`);
    expect(over.status).toBe(400);
  });

  it('refuses a document of a newer format at save, autosave and run', async () => {
    const newer = { format: 'pipewright.pipeline/v9', name: 'n', nodes: [], edges: [] };
    for (const [method, args] of [
      ['saveFile', [{ path: path.join(root, 'n.pipewright.json'), document: newer }]],
      ['saveRecovery', [{ draftId: 'n', path: null, name: 'n', document: newer }]],
      ['startRun', [{ document: newer, target: 'local' }]],
    ] as const) {
      const reply = JSON.parse((await post(JSON.stringify({ method, args }))).body) as { ok: boolean; error: { message: string } };
      expect(reply.ok).toBe(false);
      expect(reply.error.message).toMatch(/the document is format pipewright\.pipeline\/v9, newer than this Pipewright understands/);
    }
    await expect(fs.stat(path.join(root, 'n.pipewright.json'))).rejects.toThrow();
  });

  it('offers a tab’s draft to the other tabs as soon as its socket closes (a reload)', async () => {
    const open = (session: string) =>
      new Promise<{ ws: WebSocket; events: ApiEvent[] }>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${running.port}/api/events?token=${running.token}&session=${session}`, { headers: { Origin: running.origin } });
        const events: ApiEvent[] = [];
        ws.on('message', (data) => events.push(JSON.parse(String(data)) as ApiEvent));
        ws.once('open', () => resolve({ ws, events }));
        ws.once('error', reject);
      });
    const tab = await open('tab-1');
    const document = { format: 'pipewright.pipeline/v1', name: 'work', nodes: [{ id: 'a', type: 'dataset', position: { x: 0, y: 0 } }], edges: [] };
    await post(JSON.stringify({ method: 'saveRecovery', args: [{ draftId: 'reloaded', path: null, name: 'work', document, session: 'tab-1' }] }));
    const other = await open('tab-2');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(other.events.filter((e) => e.type === 'recovery-available')).toEqual([]);
    tab.ws.close();
    for (let i = 0; i < 50 && !other.events.some((e) => e.type === 'recovery-available'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(other.events).toContainEqual({ type: 'recovery-available', entries: [expect.objectContaining({ draftId: 'reloaded', name: 'work' })] });
    const listed = JSON.parse((await post('{"method":"listRecovery","args":[]}')).body) as { value: { draftId: string }[] };
    expect(listed.value.map((e) => e.draftId)).toEqual(['reloaded']);
    other.ws.close();
  });
});
