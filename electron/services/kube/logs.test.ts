import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { compareTimestamps, followContainerLog } from './logs.ts';
import type { TimedLine } from './logs.ts';

const LOG = [
  ['2026-11-28T10:00:00.100000000Z', 'one'],
  ['2026-11-28T10:00:01.000000000Z', 'same'],
  ['2026-11-28T10:00:01.000000000Z', 'same'],
  ['2026-11-28T10:00:01.500000000Z', 'three'],
  ['2026-11-28T10:00:02.250000000Z', 'four'],
];

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  return new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** A kubelet log endpoint; with `cut`, its first answer sends that many lines and then goes silent without closing. */
async function logServer(cut?: number): Promise<{ kc: KubeConfig; requests: URLSearchParams[] }> {
  const requests: URLSearchParams[] = [];
  server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    requests.push(query);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    const since = query.get('sinceTime');
    // The API server answers sinceTime from that whole second, as the kubelet does.
    const lines = LOG.filter(([ts]) => !since || compareTimestamps(ts, since) >= 0).map(([ts, text]) => `${ts} ${text}\n`);
    if (requests.length === 1 && cut !== undefined) res.write(lines.slice(0, cut).join(''));
    else res.end(lines.join(''));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return { kc, requests };
}

describe('followContainerLog', () => {
  it('reopens a stream that went silent and resumes after the last line, repeating none', async () => {
    const { kc, requests } = await logServer(3);
    const got: TimedLine[] = [];
    await new Promise<void>((resolve) => {
      followContainerLog(kc, {
        namespace: 'ns',
        pod: 'p',
        container: 'main',
        idleMs: 300,
        onLines: (lines) => got.push(...lines),
        afterStreamEnd: async () => 'done',
        onEnd: resolve,
      });
    });
    expect(got.map((l) => l.text)).toEqual(['one', 'same', 'same', 'three', 'four']);
    expect(requests[0].get('timestamps')).toBe('true');
    expect(requests[1].get('sinceTime')).toBe('2026-11-28T10:00:01Z');
  });

  it('starts after what an earlier session delivered', async () => {
    const { kc } = await logServer();
    const got: string[] = [];
    await new Promise<void>((resolve) => {
      followContainerLog(kc, {
        namespace: 'ns',
        pod: 'p',
        container: 'main',
        since: { ts: '2026-11-28T10:00:01.000000000Z', delivered: ['same'] },
        onLines: (lines) => got.push(...lines.map((l) => l.text)),
        afterStreamEnd: async () => 'done',
        onEnd: resolve,
      });
    });
    expect(got).toEqual(['same', 'three', 'four']);
  });
});
