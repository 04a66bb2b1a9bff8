import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from './appProtocol.ts';

let root: string;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'pipewright-app-'));
  await fs.mkdir(path.join(root, 'renderer', 'assets'), { recursive: true });
  await fs.writeFile(path.join(root, 'renderer', 'index.html'), '<!doctype html>');
  await fs.writeFile(path.join(root, 'renderer', 'assets', 'main.js'), 'export {}');
  await fs.writeFile(path.join(root, 'secret.txt'), 'outside');
  handle = createAppProtocolHandler(path.join(root, 'renderer'));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('app:// protocol', () => {
  it('serves the page and assets with the CSP and their content types', async () => {
    const page = await handle(new Request('app://pipewright/'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await handle(new Request('app://pipewright/assets/main.js'));
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toBe('export {}');
  });

  it.each(['app://pipewright/../secret.txt', 'app://pipewright/%2e%2e/secret.txt', 'app://pipewright/assets/..%2F..%2Fsecret.txt', 'app://other/index.html'])(
    'never serves %s',
    async (url) => {
      const response = await handle(new Request(url));
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('outside');
    },
  );

  it('refuses anything but GET', async () => {
    expect((await handle(new Request('app://pipewright/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});
