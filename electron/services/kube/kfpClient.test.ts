import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
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

describe('KfpClient: what KFP answers, read as it is', () => {
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  it('reads the upload server\'s {error_message, error_details} and its plain-text errors', async () => {
    let plain = false;
    const url = await serve((_req, res) => {
      if (plain) {
        res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Invalid input error: Pipeline.Name length cannot exceed 128\n');
      } else json(res, 400, { error_message: 'Failed to create a pipeline', error_details: 'Failed to create a pipeline\ngithub.com/kubeflow/pipelines/backend/src/apiserver/server.(*PipelineUploadServer).upload\n\t/go/src/...' });
    });
    const client = new KfpClient({ url, namespace: 'team-a' });
    const refused = client.uploadPipeline('p', 'pipelineInfo: {}', undefined, 'team-a');
    await expect(refused).rejects.toThrow(/^Could not upload pipeline p: HTTP 400: Failed to create a pipeline\. Kubeflow Pipelines gives no reason; on a multi-user install .* in namespace team-a\./);
    await expect(refused).rejects.not.toThrow(/github\.com/);
    plain = true;
    await expect(client.uploadPipeline('p', 'x')).rejects.toThrow('Could not upload pipeline p: HTTP 400: Invalid input error: Pipeline.Name length cannot exceed 128');
  });

  it('a login redirect is not followed into the sign-in page: it says the session is not accepted', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(302, { Location: '/dex/auth?client_id=kubeflow-oidc-authservice' });
      res.end();
    });
    await expect(new KfpClient({ url }).healthz(1)).rejects.toThrow(/sent Pipewright to a sign-in page \(\/dex\/auth\?client_id=kubeflow-oidc-authservice\) instead of answering\. Kubeflow did not accept your login session/);
  });

  const retryServer = (afterFailure: 'RUNNING' | 'FAILED') => {
    const calls: string[] = [];
    let retried = false;
    const history = [{ state: 'RUNNING' }, { state: 'FAILED' }];
    const urlP = serve((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      if (req.url?.endsWith(':retry')) {
        // The first retry is taken, but its answer is lost behind a 503.
        if (!retried) {
          retried = true;
          if (afterFailure === 'RUNNING') history.push({ state: 'PENDING' });
          return json(res, 503, { code: 14, message: 'upstream connect error' });
        }
        history.push({ state: 'PENDING' });
        return json(res, 200, {});
      }
      json(res, 200, { run_id: 'r1', state: history.at(-1)!.state, state_history: history });
    });
    return { calls, urlP };
  };

  it('after a 5xx on :retry it reads the run first, and does not retry again a run KFP already took back', async () => {
    const { calls, urlP } = retryServer('RUNNING');
    await new KfpClient({ url: await urlP }).retryRun('r1');
    expect(calls.filter((c) => c.endsWith(':retry'))).toHaveLength(1);
    expect(calls.at(-1)).toBe('GET /pipeline/apis/v2beta1/runs/r1');
  }, 15_000);

  it('after a 5xx on :retry of a run still FAILED, it asks again', async () => {
    const { calls, urlP } = retryServer('FAILED');
    await new KfpClient({ url: await urlP }).retryRun('r1');
    expect(calls.filter((c) => c.endsWith(':retry'))).toHaveLength(2);
  }, 15_000);
});
