/** What the run UI does: start, cancel, retry, open from history, delete, download a log. */
import i18next from 'i18next';
import type { StartRunRequest } from '../../shared/runs/types.ts';
import { api } from '../api/client.ts';
import { apiErrorText } from '../clusters/kubeconfigPrograms.tsx';
import { requestAlertPermission } from '../monitoring/alertNotify.ts';
import { sameDocument } from '../document/diff.ts';
import { isDirty } from '../store/documentSlice.ts';
import { appStore } from '../store/index.ts';
import { shownRunId } from './runsSlice.ts';
import { forgetRun, refreshShownRun, upsertRun } from './runSync.ts';

function messageOf(error: unknown): string {
  return apiErrorText(i18next.t, error);
}

/** Shows a run on the canvas and in the run panel. */
export function showRun(runId: string): void {
  const state = appStore.getState();
  state.pinRun(runId);
  state.showBottom('run');
  refreshShownRun();
}

/** Starts the run; the panel opens on it. Rejects with the back end's message. */
export async function startRunRequest(request: StartRunRequest, remember: Parameters<typeof api.rememberRunContext>[1]): Promise<string> {
  requestAlertPermission();
  await api.rememberRunContext(request.document.name, remember).catch(() => undefined);
  const summary = await api.startRun(request);
  upsertRun(summary);
  showRun(summary.id);
  return summary.id;
}

export async function cancelRun(runId: string): Promise<void> {
  try {
    await api.cancelRun(runId);
  } catch (error) {
    appStore.getState().showStatus('error', 'runs.panel.cancelFailed', { id: runId, message: messageOf(error) });
  }
}

export async function retryRun(runId: string): Promise<void> {
  try {
    const summary = await api.retryRun(runId);
    upsertRun(summary);
    showRun(summary.id);
    appStore.getState().showStatus('info', 'runs.panel.retried', { id: summary.id });
  } catch (error) {
    appStore.getState().showStatus('error', 'runs.panel.retryFailed', { id: runId, message: messageOf(error) });
  }
}

export async function deleteRun(runId: string): Promise<void> {
  try {
    await api.deleteRun(runId);
    forgetRun(runId);
    appStore.getState().showStatus('info', 'runs.list.deleted', { id: runId });
  } catch (error) {
    appStore.getState().showStatus('error', 'runs.list.deleteFailed', { id: runId, message: messageOf(error) });
  }
}

export type OpenRunResult = { kind: 'opened' } | { kind: 'needs-confirm'; pipelineName: string } | { kind: 'failed'; message: string };

/**
 * Opens a run from the history: the canvas shows its document snapshot (loaded when it differs from
 * the open document) with its node phases. Unsaved changes are only dropped when `discard` is set.
 */
export async function openRun(runId: string, discard = false): Promise<OpenRunResult> {
  try {
    const record = await api.getRun(runId);
    const state = appStore.getState();
    if (!sameDocument(record.document, state.doc)) {
      if (isDirty(state) && !discard) return { kind: 'needs-confirm', pipelineName: record.document.name };
      state.pinRun(runId);
      state.loadDocument(record.document, null);
    }
    showRun(runId);
    return { kind: 'opened' };
  } catch (error) {
    const message = messageOf(error);
    appStore.getState().showStatus('error', 'runs.list.openFailed', { id: runId, message });
    return { kind: 'failed', message };
  }
}

/** The whole node log, read page by page through the api, as a text file the browser saves. */
export async function downloadLog(runId: string, nodeId: string, onProgress: (lines: number) => void): Promise<void> {
  const parts: string[] = [];
  let after = 0;
  for (;;) {
    const page = await api.readLog(runId, nodeId, after, 20_000);
    if (page.lines.length === 0) break;
    parts.push(page.lines.map((l) => l.text).join('\n'), '\n');
    after = page.lines[page.lines.length - 1].seq;
    onProgress(after);
    if (after >= page.lastSeq) break;
  }
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${runId}-${nodeId}.log`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Cancels the run shown on the canvas, if it is still going (menu command `run.cancel`). */
export function cancelShownRun(): void {
  const id = shownRunId(appStore.getState());
  if (id) void cancelRun(id);
}

/** Shows or hides the runs list (menu command `view.toggleRuns`). */
export function toggleRunsTab(): void {
  const { bottomTab, bottomOpen, showBottom, toggleBottom } = appStore.getState();
  if (bottomOpen && bottomTab === 'runs') toggleBottom();
  else showBottom('runs');
}
