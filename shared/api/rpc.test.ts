import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../pipeline/types.ts';
import type { PipewrightApi } from './contract.ts';
import { ApiError } from './errors.ts';
import type { ApiEvent, ApiEventListener } from './events.ts';
import { apiMethods } from './methods.ts';
import { createMemoryTransport } from './memory.ts';
import { createApiClient } from './index.ts';
import { createApiServer } from './server.ts';

const document: PipelineDocument = { format: 'pipewright.pipeline/v2', name: 'demo', nodes: [], edges: [] };

/** Every method rejects unless overridden, so a test only writes what it exercises. */
function stubApi(overrides: Partial<PipewrightApi>): PipewrightApi {
  const api: Record<string, unknown> = {};
  for (const method of Object.keys(apiMethods)) {
    api[method] = () => Promise.reject(new ApiError('not-available', `${method} is not stubbed`));
  }
  return Object.assign(api, overrides) as unknown as PipewrightApi;
}

function connect(impl: PipewrightApi) {
  const transport = createMemoryTransport(createApiServer(impl));
  return { api: createApiClient(transport), transport };
}

describe('RPC in memory', () => {
  it('generates one client method per contract method', () => {
    const { api } = connect(stubApi({}));
    expect(Object.keys(api).sort()).toEqual(Object.keys(apiMethods).sort());
  });

  it('round-trips arguments and results through JSON', async () => {
    const calls: unknown[] = [];
    const { api, transport } = connect(
      stubApi({
        async saveFile(request) {
          calls.push(request);
          return { ok: true, path: request.path, name: 'demo.pipewright.json', mtimeMs: 42 };
        },
      }),
    );
    const result = await api.saveFile({ path: '/tmp/demo.pipewright.json', document, baseMtimeMs: 7 });
    expect(result).toEqual({ ok: true, path: '/tmp/demo.pipewright.json', name: 'demo.pipewright.json', mtimeMs: 42 });
    expect(calls).toEqual([{ path: '/tmp/demo.pipewright.json', document, baseMtimeMs: 7 }]);
    expect(transport.sent.map((request) => request.method)).toEqual(['saveFile']);
  });

  it('turns a void result into a resolved promise', async () => {
    const { api } = connect(stubApi({ discardRecovery: async () => undefined }));
    await expect(api.discardRecovery('draft-1')).resolves.toBeNull();
  });

  it.each([
    ['openFile', [42], /openFile: invalid arguments: argument 1: .*string/],
    ['openFile', [], /openFile: invalid arguments/],
    ['discardRecovery', ['../etc/passwd'], /argument 1: letters, digits/],
    ['saveFile', [{ path: '/x.json', document: { format: 'x', name: 'n', nodes: 'no', edges: [] } }], /argument 1 at document\.nodes/],
    ['saveFile', [{ path: '/x.json', document, extra: true }], /argument 1: .*extra/],
    ['updateSettings', [{ localConcurrency: -1 }], /argument 1 at localConcurrency/],
    ['readLog', ['run', 'node', -1, 10], /argument 3/],
  ])('rejects bad arguments to %s with a clear error', async (method, args, message) => {
    let reached = false;
    const impl = stubApi({});
    (impl as unknown as Record<string, () => Promise<void>>)[method] = async () => {
      reached = true;
    };
    const server = createApiServer(impl);
    const response = await server.dispatch({ method, args });
    expect(response.ok).toBe(false);
    if (response.ok) return;
    expect(response.error.code).toBe('invalid-arguments');
    expect(response.error.message).toMatch(message);
    expect(response.error.issues?.length).toBeGreaterThan(0);
    expect(reached).toBe(false);
  });

  it('raises the same ApiError on the client side', async () => {
    const { api } = connect(stubApi({}));
    const error = await api.openFile(42 as unknown as string).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid-arguments');
    expect((error as ApiError).issues[0].path).toBe('0');
  });

  it.each([
    [null, 'bad-request'],
    [{ method: 'openFile' }, 'bad-request'],
    [{ method: 'constructor', args: [] }, 'unknown-method'],
    [{ method: '__proto__', args: [] }, 'unknown-method'],
    [{ method: 'deleteEverything', args: [] }, 'unknown-method'],
  ])('refuses the malformed request %j', async (request, code) => {
    const response = await createApiServer(stubApi({})).dispatch(request);
    expect(response).toMatchObject({ ok: false, error: { code } });
  });

  it('keeps the code of an ApiError thrown by the implementation and wraps other errors', async () => {
    const { api } = connect(
      stubApi({
        async showOpenDialog() {
          throw new ApiError('not-available', 'native dialogs are not available here');
        },
        async listRuns() {
          throw new Error('disk full');
        },
      }),
    );
    await expect(api.showOpenDialog()).rejects.toMatchObject({ code: 'not-available', message: 'native dialogs are not available here' });
    await expect(api.listRuns()).rejects.toMatchObject({ code: 'failed', message: 'listRuns: disk full' });
  });

  it('reports a transport failure as code "transport"', async () => {
    const api = createApiClient({ invoke: () => Promise.reject(new Error('connection refused')) });
    await expect(api.getSettings()).rejects.toMatchObject({ code: 'transport', message: expect.stringContaining('connection refused') });
  });

  it('refuses arguments nested 5,000 deep (a structured clone from IPC) with a plain message, without calling the method', async () => {
    let called = false;
    const server = createApiServer(stubApi({ saveFile: async () => ((called = true), { ok: true, path: '/x', name: 'x', mtimeMs: 0 }) }));
    let deep: unknown = [];
    for (let i = 0; i < 5000; i++) deep = [deep];
    const doc = { ...document, nodes: [{ id: 'a', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: deep } }] };
    const reply = await server.dispatch({ method: 'saveFile', args: [{ path: '/x.pipewright.json', document: doc }] });
    expect(reply).toEqual({ ok: false, error: { code: 'invalid-arguments', message: 'saveFile: invalid arguments: nested more than 102 levels deep (a pipeline nests at most 100)' } });
    expect(called).toBe(false);
  });

  it('refuses a document of a newer format at the boundary', async () => {
    const server = createApiServer(stubApi({ saveFile: async () => ({ ok: true, path: '/x', name: 'x', mtimeMs: 0 }) }));
    const reply = await server.dispatch({ method: 'saveFile', args: [{ path: '/x.pipewright.json', document: { ...document, format: 'pipewright.pipeline/v7' } }] });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-arguments', message: expect.stringContaining('the document is format pipewright.pipeline/v7, newer than this Pipewright understands') } });
  });

  it('drops trailing undefined arguments instead of sending null', async () => {
    const { api, transport } = connect(stubApi({ listRecentFiles: async () => [] }));
    await (api.listRecentFiles as (...args: unknown[]) => Promise<unknown>)(undefined);
    expect(transport.sent[0].args).toEqual([]);
  });

  it('delivers events through the transport as JSON', () => {
    const listeners = new Set<ApiEventListener>();
    const source = { subscribe: (listener: ApiEventListener) => (listeners.add(listener), () => listeners.delete(listener)) };
    const transport = createMemoryTransport(createApiServer(stubApi({})), source);
    const seen: ApiEvent[] = [];
    const unsubscribe = transport.subscribe((event) => seen.push(event));
    const event: ApiEvent = { type: 'menu', command: 'file.save' };
    listeners.forEach((listener) => listener(event));
    unsubscribe();
    listeners.forEach((listener) => listener({ type: 'menu', command: 'file.open' }));
    expect(seen).toEqual([event]);
    expect(seen[0]).not.toBe(event);
  });
});
