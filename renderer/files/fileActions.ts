/** New, Open, Save, Save As, Export: the document's way in and out, always through the back end. */
import { PIPELINE_FILE_SUFFIX } from '../../shared/api/files.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { api } from '../api/client.ts';
import { emptyDocument } from '../document/newNode.ts';
import { compileDocument } from '../services/compile.ts';
import { problemsNow } from '../services/validation.ts';
import { appStore } from '../store/index.ts';
import { isDirty } from '../store/documentSlice.ts';
import { errorCount } from '../store/validationSlice.ts';
import { pickPath } from './pathPicker.ts';

function fail(key: string, error: unknown): void {
  appStore.getState().showStatus('error', key, { message: error instanceof Error ? error.message : String(error) });
}

function discardDraft(): void {
  void api.discardRecovery(appStore.getState().draftId).catch(() => undefined);
}

/** New: asks first when there are unsaved changes, then offers empty or a template. */
export function newDocument(): void {
  const state = appStore.getState();
  if (isDirty(state)) state.openDialog({ kind: 'confirm-discard', then: 'new' });
  else state.openDialog({ kind: 'new' });
}

export function startDocument(doc: PipelineDocument | null): void {
  discardDraft();
  appStore.getState().loadDocument(doc ? structuredClone(doc) : emptyDocument(), null);
  appStore.getState().closeDialog();
}

export async function openDocument(path?: string): Promise<void> {
  const state = appStore.getState();
  if (isDirty(state)) {
    state.openDialog({ kind: 'confirm-discard', then: path ? 'open-recent' : 'open', ...(path ? { path } : {}) });
    return;
  }
  await openWithoutAsking(path);
}

export async function openWithoutAsking(path?: string): Promise<void> {
  try {
    const chosen = path ?? (await pickPath('open'));
    if (!chosen) return;
    const result = await api.openFile(chosen);
    const state = appStore.getState();
    if (!result.ok) {
      const { error } = result;
      const where = error.line !== undefined ? `${error.line}:${error.column ?? 1}` : error.field;
      state.openDialog({ kind: 'open-error', path: error.path, message: error.message, ...(where ? { where } : {}) });
      return;
    }
    discardDraft();
    state.loadDocument(result.file.document, result.file.path, { mtimeMs: result.file.mtimeMs });
    state.showStatus('info', result.file.migratedFrom ? 'files.openedMigrated' : 'files.opened', { name: result.file.name, from: result.file.migratedFrom ?? '' });
  } catch (error) {
    fail('files.openFailed', error);
  }
}

function suggestedFileName(doc: PipelineDocument): string {
  return `${doc.name || 'pipeline'}${PIPELINE_FILE_SUFFIX}`;
}

function withSuffix(path: string): string {
  return path.endsWith('.json') ? path : `${path}${PIPELINE_FILE_SUFFIX}`;
}

async function writeDocument(path: string, options: { baseMtimeMs?: number; force?: boolean; saveAs: boolean }): Promise<boolean> {
  const state = appStore.getState();
  const doc = state.doc;
  const result = await api.saveFile({ path, document: doc, ...(options.baseMtimeMs !== undefined ? { baseMtimeMs: options.baseMtimeMs } : {}), ...(options.force ? { force: true } : {}) });
  if (!result.ok) {
    state.openDialog({ kind: 'save-conflict', path: result.path, message: result.message, saveAs: options.saveAs });
    return false;
  }
  discardDraft();
  appStore.getState().markSaved(result.path, result.mtimeMs, doc);
  // Text a field could not save is not in the file: say so rather than let "Saved" suggest otherwise.
  const unsaved = Object.keys(appStore.getState().fieldDrafts).length;
  appStore.getState().showStatus('info', unsaved > 0 ? 'drafts.savedWithout' : 'files.saved', { name: result.name, count: unsaved });
  return true;
}

export async function saveDocument(): Promise<boolean> {
  const { filePath, fileMtimeMs } = appStore.getState();
  if (!filePath) return saveDocumentAs();
  try {
    return await writeDocument(filePath, { ...(fileMtimeMs !== null ? { baseMtimeMs: fileMtimeMs } : {}), saveAs: false });
  } catch (error) {
    fail('files.saveFailed', error);
    return false;
  }
}

export async function saveDocumentAs(): Promise<boolean> {
  try {
    const chosen = await pickPath('save', suggestedFileName(appStore.getState().doc));
    if (!chosen) return false;
    return await writeDocument(withSuffix(chosen), { saveAs: true });
  } catch (error) {
    fail('files.saveFailed', error);
    return false;
  }
}

/** After the user confirmed overwriting a file that exists or changed on disk. */
export async function forceSave(path: string): Promise<boolean> {
  appStore.getState().closeDialog();
  try {
    return await writeDocument(path, { force: true, saveAs: false });
  } catch (error) {
    fail('files.saveFailed', error);
    return false;
  }
}

/** Writes the current output target's compiled files to a folder; blocked while errors exist. */
export async function exportCompiled(): Promise<void> {
  const state = appStore.getState();
  if (errorCount(problemsNow()) > 0) {
    state.openDialog({ kind: 'blocked', action: 'export' });
    return;
  }
  const compiled = compileDocument(state.doc, state.outputTarget);
  if (!compiled.ok) {
    state.showStatus('error', 'output.compileFailed', { message: compiled.message });
    return;
  }
  try {
    const dir = await pickPath('export');
    if (!dir) return;
    const result = await api.exportFiles({ dir, files: compiled.files });
    appStore.getState().showStatus('info', 'files.exported', { count: result.written.length, dir });
  } catch (error) {
    fail('files.exportFailed', error);
  }
}
