import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../shared/api/index.ts';
import type { ApiEvent } from '../../shared/api/events.ts';
import { createMemoryTransport } from '../../shared/api/memory.ts';
import type { RunEventListener } from '../../shared/api/runs.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { createBackend, createUnavailableRuns } from './backend.ts';
import type { RunsService } from './backend.ts';

const document: PipelineDocument = { format: 'pipewright.pipeline/v2', name: 'demo', nodes: [], edges: [] };
let dataDir: string;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pipewright-backend-'));
});

afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

function connect(backend: ReturnType<typeof createBackend>) {
  const transport = createMemoryTransport(backend.server, backend.events);
  const events: ApiEvent[] = [];
  transport.subscribe((event) => events.push(event));
  return { api: createApiClient(transport), events };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('createBackend', () => {
  it('serves files, recent files and settings through the contract', async () => {
    const backend = createBackend({ dataDir, mode: 'browser' });
    const { api, events } = connect(backend);
    const target = path.join(dataDir, 'demo.pipewright.json');
    expect(await api.saveFile({ path: target, document })).toMatchObject({ ok: true });
    expect(await api.openFile(target)).toMatchObject({ ok: true, file: { document } });
    expect((await api.listRecentFiles()).map((file) => file.path)).toEqual([target]);
    await api.updateSettings({ theme: 'dark' });
    expect(events).toContainEqual({ type: 'settings-changed', settings: expect.objectContaining({ theme: 'dark' }) });
    expect(await api.getAppInfo()).toMatchObject({ mode: 'browser', nativeDialogs: false, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('tells each new subscriber about drafts a crashed session left', async () => {
    const crashed = createBackend({ dataDir, mode: 'desktop' });
    await crashed.api.saveRecovery({ draftId: 'abc', path: null, name: 'Untitled', document });
    const { events } = connect(createBackend({ dataDir, mode: 'desktop' }));
    await settle();
    expect(events).toEqual([{ type: 'recovery-available', entries: [expect.objectContaining({ draftId: 'abc', name: 'Untitled' })] }]);
  });

  it('says no greeting when nothing waits for recovery', async () => {
    const { events } = connect(createBackend({ dataDir, mode: 'desktop' }));
    await settle();
    expect(events).toEqual([]);
  });

  it('rejects native dialogs in browser mode and uses the given ones on the desktop', async () => {
    await expect(connect(createBackend({ dataDir, mode: 'browser' })).api.showOpenDialog()).rejects.toMatchObject({ code: 'not-available' });
    const dialogs = { showOpenDialog: async () => '/a.pipewright.json', showSaveDialog: async (name: string) => `/${name}`, showFolderDialog: async () => null };
    const { api } = connect(createBackend({ dataDir, mode: 'desktop', dialogs }));
    expect(await api.showSaveDialog('x.pipewright.json')).toBe('/x.pipewright.json');
    expect(await api.showFolderDialog()).toBeNull();
  });

  it('rejects runs with "not available" until a runs service is plugged in', async () => {
    const { api } = connect(createBackend({ dataDir, mode: 'browser' }));
    await expect(api.listRuns()).rejects.toMatchObject({ code: 'not-available', message: expect.stringContaining('listRuns') });
  });

  it('serves a plugged-in runs service and forwards its events', async () => {
    let emit: RunEventListener = () => {};
    const runs: RunsService = {
      ...createUnavailableRuns(),
      listRuns: async () => [],
      subscribe(listener) {
        emit = listener;
        return () => {
          emit = () => {};
        };
      },
    };
    const backend = createBackend({ dataDir, mode: 'browser', runs });
    const { api, events } = connect(backend);
    expect(await api.listRuns()).toEqual([]);
    emit({ kind: 'run-phase', runId: 'r1', phase: 'running', at: '2025-01-01T00:00:00Z' });
    expect(events).toEqual([{ type: 'run', event: { kind: 'run-phase', runId: 'r1', phase: 'running', at: '2025-01-01T00:00:00Z' } }]);
    backend.close();
    emit({ kind: 'run-phase', runId: 'r1', phase: 'failed', at: '2025-01-01T00:00:01Z' });
    expect(events).toHaveLength(1);
  });

  it('keeps the document state the renderer reports', async () => {
    const seen: unknown[] = [];
    const backend = createBackend({ dataDir, mode: 'desktop', onDocumentState: (state) => seen.push(state) });
    const { api } = connect(backend);
    await api.reportDocumentState({ dirty: true, title: 'demo', path: null });
    expect(backend.documentState()).toEqual({ dirty: true, title: 'demo', path: null });
    expect(seen).toHaveLength(1);
  });
});
