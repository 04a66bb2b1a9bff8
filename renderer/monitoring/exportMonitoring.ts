/** File > Export monitoring…: the pipeline's Grafana dashboard and Prometheus rules, written to a chosen folder. */
import { catalog } from '../../node-catalog/index.ts';
import { compileMonitoring } from '../../shared/compile/monitoring/index.ts';
import { api } from '../api/client.ts';
import { pickPath } from '../files/pathPicker.ts';
import { problemsNow } from '../services/validation.ts';
import { appStore } from '../store/index.ts';
import { errorCount } from '../store/validationSlice.ts';

export async function exportMonitoring(): Promise<void> {
  const state = appStore.getState();
  if (errorCount(problemsNow()) > 0) {
    state.openDialog({ kind: 'blocked', action: 'export' });
    return;
  }
  let files: Record<string, string>;
  try {
    files = compileMonitoring(state.doc, catalog);
  } catch (error) {
    state.showStatus('error', 'monitoring.export.failed', { message: error instanceof Error ? error.message : String(error) });
    return;
  }
  try {
    const dir = await pickPath('export');
    if (!dir) return;
    const result = await api.exportFiles({ dir, files });
    appStore.getState().showStatus('info', 'monitoring.export.done', { count: result.written.length, dir });
  } catch (error) {
    appStore.getState().showStatus('error', 'monitoring.export.failed', { message: error instanceof Error ? error.message : String(error) });
  }
}
