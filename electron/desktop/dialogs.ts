/** Native open/save/folder dialogs for the back end (desktop only). */
import type { BaseWindow, Dialog, OpenDialogOptions } from 'electron';
import { PIPELINE_FILE_SUFFIX } from '../../shared/api/files.ts';
import type { NativeDialogs } from '../services/backend.ts';

const PIPELINE_FILTERS = [
  { name: 'Pipewright pipeline', extensions: ['json'] },
  { name: 'All files', extensions: ['*'] },
];

/** A save path always ends in `.pipewright.json` (Linux dialogs do not add the extension). */
export function withPipelineSuffix(filePath: string): string {
  return filePath.toLowerCase().endsWith('.json') ? filePath : `${filePath}${PIPELINE_FILE_SUFFIX}`;
}

export function createNativeDialogs(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, currentWindow: () => BaseWindow | null): NativeDialogs {
  const open = (options: OpenDialogOptions) => {
    const window = currentWindow();
    return window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options);
  };
  return {
    async showOpenDialog() {
      const result = await open({ title: 'Open pipeline', properties: ['openFile'], filters: PIPELINE_FILTERS });
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
    },
    async showSaveDialog(suggestedName) {
      const window = currentWindow();
      const options = { title: 'Save pipeline', defaultPath: withPipelineSuffix(suggestedName || 'pipeline'), filters: PIPELINE_FILTERS };
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : withPipelineSuffix(result.filePath);
    },
    async showFolderDialog() {
      const result = await open({ title: 'Export to folder', properties: ['openDirectory', 'createDirectory'] });
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
    },
  };
}
