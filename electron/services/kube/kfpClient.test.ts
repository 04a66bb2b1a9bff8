import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KfpClient } from './kfpClient.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/pipeline`;
}

describe('KfpClient at a URL', () => {
  it('sends the bearer token and reads the health answer', async () => {
    let auth: string | undefined;
    const url = await serve((req, res) => {
      auth = req.headers.authorization;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ multi_user: true, tag_name: '2.4.0' }));
    });
    expect(await new KfpClient({ url, token: 't0k' }).healthz()).toEqual({ multi_user: true, tag_name: '2.4.0' });
    expect(auth).toBe('Bearer t0k');
  });

  it('lists the experiments of a namespace by name (the run dialog offers them)', async () => {
    let query = '';
    const url = await serve((req, res) => {
      query = req.url ?? '';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ experiments: [{ experiment_id: 'a', display_name: 'Default' }, { experiment_id: 'b', display_name: 'ko-tuning' }], total_size: 2 }));
    });
    expect(await new KfpClient({ url }).listExperiments('team-a')).toEqual(['Default', 'ko-tuning']);
    expect(query).toMatch(/^\/pipeline\/apis\/v2beta1\/experiments\?/);
    expect(query).toContain('namespace=team-a');
  });

  it('says so when a sign-in page answers instead of KFP', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>Sign in</title>');
    });
    await expect(new KfpClient({ url, token: 'x' }).healthz()).rejects.toThrow(/is not the KFP API's JSON \(a sign-in page in front of it\? check the URL and the token\): <!doctype html>/);
  });

  it('turns KFP\'s own error body into the message', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'Failed to get run r1: ResourceNotFoundError: Run r1 not found', code: 5, message: 'Failed to get run r1: ResourceNotFoundError: Run r1 not found' }));
    });
    await expect(new KfpClient({ url }).getRun('r1')).rejects.toThrow('Could not read run r1: not found (404): Failed to get run r1: ResourceNotFoundError: Run r1 not found.');
  });
});
