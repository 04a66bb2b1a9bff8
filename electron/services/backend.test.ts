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
const work: PipelineDocument = { ...document, nodes: [{ id: 'data', type: 'dataset', position: { x: 0, y: 0 } }] };
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
  const settings: ApiEvent[] = [];
  // Settings are told on subscribing and on each change: kept apart so the other events can be compared whole.
  transport.subscribe((event) => (event.type === 'settings-changed' ? settings : events).push(event));
  return { api: createApiClient(transport), events, settings };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Waits (up to 5 s) for what a fixed wait cannot promise on a loaded machine: the back end reads files first. */
async function until(check: () => boolean): Promise<void> {
  for (const end = Date.now() + 5000; !check() && Date.now() < end; ) await settle();
}

describe('createBackend', () => {
  it('serves files, recent files and settings through the contract', async () => {
    const backend = createBackend({ dataDir, mode: 'browser' });
    const { api, settings } = connect(backend);
    const target = path.join(dataDir, 'demo.pipewright.json');
    expect(await api.saveFile({ path: target, document })).toMatchObject({ ok: true });
    expect(await api.openFile(target)).toMatchObject({ ok: true, file: { document } });
    expect((await api.listRecentFiles()).map((file) => file.path)).toEqual([target]);
    await api.updateSettings({ theme: 'dark' });
    expect(settings).toContainEqual({ type: 'settings-changed', settings: expect.objectContaining({ theme: 'dark' }) });
    expect(await api.getAppInfo()).toMatchObject({ mode: 'browser', nativeDialogs: false, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('tells each new subscriber about drafts a crashed process left', async () => {
    const crashed = createBackend({ dataDir, mode: 'desktop' });
    await crashed.api.saveRecovery({ draftId: 'abc', path: null, name: 'Untitled', document: work });
    // Its lease, as a process killed with -9 leaves it: renewed long ago.
    const leaseFile = path.join(dataDir, 'recovery', 'abc.lease');
    const lease = JSON.parse(await fs.readFile(leaseFile, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(leaseFile, JSON.stringify({ ...lease, renewedAt: '2000-01-01T00:00:00.000Z' }));
    const { events } = connect(createBackend({ dataDir, mode: 'desktop' }));
    await until(() => events.length > 0);
    expect(events).toEqual([{ type: 'recovery-available', entries: [expect.objectContaining({ draftId: 'abc', name: 'Untitled' })] }]);
    await crashed.close();
  });

  it('offers a reloaded tab’s draft to every connected window at once', async () => {
    const backend = createBackend({ dataDir, mode: 'browser' });
    const releaseTab = backend.connectSession('tab-1');
    await backend.api.saveRecovery({ draftId: 'd1', path: null, name: 'work', document: work, session: 'tab-1' });
    const other = connect(backend);
    await settle();
    expect(other.events).toEqual([]);
    releaseTab();
    await until(() => other.events.length > 0);
    expect(other.events).toEqual([{ type: 'recovery-available', entries: [expect.objectContaining({ draftId: 'd1' })] }]);
    await backend.close();
  });

  it('tells about a damaged settings file once, to every window, until dismissed', async () => {
    await fs.writeFile(path.join(dataDir, 'settings.json'), '{"theme": "dark", "lang');
    const backend = createBackend({ dataDir, mode: 'browser' });
    const first = connect(backend);
    expect(await first.api.getSettings()).toMatchObject({ theme: 'system' });
    await settle();
    await until(() => first.events.length > 0);
    const notices = await first.api.listNotices();
    expect(notices).toEqual([expect.objectContaining({ kind: 'corrupt', file: 'settings', keptAs: expect.stringContaining('settings.json.corrupt-') })]);
    expect(first.events).toContainEqual({ type: 'notices', notices });
    const second = connect(backend);
    await until(() => second.events.length > 0);
    expect(second.events).toContainEqual({ type: 'notices', notices });
    await first.api.dismissNotice(notices[0].id);
    expect(await first.api.listNotices()).toEqual([]);
    expect(second.events.at(-1)).toEqual({ type: 'notices', notices: [] });
    const third = connect(backend);
    await settle();
    expect(third.events).toEqual([]);
    await backend.close();
  });

  it('tells a new subscriber the settings as they are, so a change just before it subscribed is not missed', async () => {
    const backend = createBackend({ dataDir, mode: 'browser' });
    const page = await backend.api.getSettings();
    expect(page.language).toBe('system');
    // Another tab (or the CLI) changes the language between the page's first read and its subscription.
    await backend.api.updateSettings({ language: 'ko' });
    const late = connect(backend);
    await until(() => late.settings.length > 0);
    expect(late.settings).toEqual([{ type: 'settings-changed', settings: expect.objectContaining({ language: 'ko' }) }]);
    // A read queued before a change answers before it: the last settings a window hears are the newest.
    const read = late.api.getSettings();
    const write = late.api.updateSettings({ language: 'en' });
    expect((await read).language).toBe('ko');
    await write;
    await until(() => late.settings.length > 1);
    expect(late.settings.at(-1)).toEqual({ type: 'settings-changed', settings: expect.objectContaining({ language: 'en' }) });
    await backend.close();
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
