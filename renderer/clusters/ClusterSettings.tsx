/** Settings › Clusters: kubeconfig files (add, remove, reorder), the current context, the local emulator. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeconfigOverview } from '../../shared/api/clusters.ts';
import { api } from '../api/client.ts';
import { KfpServiceSettings } from '../kfp/KfpServiceSettings.tsx';
import { useAppStore } from '../store/index.ts';
import type { KubeconfigProgramsReason } from '../../shared/api/clusters.ts';
import { KubeconfigProgramsNotice, kubeconfigProgramsReasonOf } from './kubeconfigPrograms.tsx';
import { absolutePath, moveFile, removeFile } from './kubeconfigList.ts';
import { problemText } from './problemText.ts';
import './clusters.css';

export function ClusterSettings() {
  const { t } = useTranslation();
  const homeDir = useAppStore((s) => s.session?.homeDir ?? '');
  const separator = useAppStore((s) => s.session?.pathSeparator ?? '/');
  const [overview, setOverview] = useState<KubeconfigOverview | null>(null);
  const [error, setErrorText] = useState<string | null>(null);
  // A refusal about programs a kubeconfig runs, worded here in the UI's language.
  const [refusal, setRefusal] = useState<KubeconfigProgramsReason | null>(null);
  const setError = (e: unknown) => {
    const reason = kubeconfigProgramsReasonOf(e);
    setRefusal(reason);
    setErrorText(reason || e === null ? null : e instanceof Error ? e.message : String(e));
  };
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState<'add' | 'emulator' | null>(null);

  const refresh = useCallback(async () => {
    try {
      setOverview(await api.describeKubeconfig());
    } catch (e) {
      setErrorText(e instanceof Error ? e.message : String(e));
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    }
    await refresh();
  };
  const files = overview?.files.map((f) => f.path) ?? [];
  const saveFiles = (next: string[]) => act(() => api.updateSettings({ kubeconfigFiles: next }));

  const add = async () => {
    const path = absolutePath(typed, homeDir, separator);
    if (!path) return setError(t('clusters.notAbsolute', { path: typed.trim() }));
    if (files.includes(path)) return setError(t('clusters.duplicate', { path }));
    setBusy('add');
    setError(null);
    try {
      const info = await api.checkKubeconfigFile(path);
      if (!info.exists) setError(t('clusters.notFound', { path }));
      else if (info.error) setError(t('clusters.notKubeconfig', { path, message: info.error.replace(`Could not read the kubeconfig ${path}: `, '') }));
      else {
        await saveFiles([...files, path]);
        setTyped('');
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const emulator = async (start: boolean) => {
    setBusy('emulator');
    await act(() => (start ? api.startKubeEmulator() : api.stopKubeEmulator()));
    setBusy(null);
  };

  if (!overview) return <p className="muted">{error ?? t('clusters.loading')}</p>;
  const unconfirmed = overview.unconfirmed && overview.unconfirmed.length > 0 ? overview.unconfirmed : null;
  const unconfirmedFiles = new Set(unconfirmed?.map((p) => p.file));
  const problem = unconfirmed ? undefined : problemText(t, overview.problem);
  const emu = overview.emulator;
  return (
    <div className="cluster-settings" data-testid="cluster-settings">
      <h3 className="form-grid-heading">{t('clusters.files')}</h3>
      <p className="muted small">{t(`clusters.origin.${overview.origin}`)}</p>
      {overview.files.length > 0 && (
        <ol className="kubeconfig-files">
          {overview.files.map((file, i) => (
            <li key={file.path} className={file.exists && !file.error && !unconfirmedFiles.has(file.path) ? '' : 'bad'}>
              <span className="kubeconfig-path" title={file.path}>
                {file.path}
              </span>
              <span className={`kubeconfig-note small ${file.exists && !file.error && !unconfirmedFiles.has(file.path) ? 'muted' : 'error-text'}`}>
                {!file.exists ? t('clusters.missing') : file.error ? file.error : unconfirmedFiles.has(file.path) ? t('clusters.programs.fileNote') : file.emulator ? t('clusters.emulatorFile') : t('clusters.contextsIn', { count: file.contexts.length })}
              </span>
              <span className="kubeconfig-actions">
                <button type="button" className="icon-button" aria-label={`${t('clusters.up')}: ${file.path}`} title={t('clusters.up')} disabled={i === 0} onClick={() => void saveFiles(moveFile(files, i, -1))}>
                  ↑
                </button>
                <button type="button" className="icon-button" aria-label={`${t('clusters.down')}: ${file.path}`} title={t('clusters.down')} disabled={i === files.length - 1} onClick={() => void saveFiles(moveFile(files, i, 1))}>
                  ↓
                </button>
                <button type="button" className="icon-button" aria-label={`${t('clusters.remove')}: ${file.path}`} title={t('clusters.remove')} onClick={() => void saveFiles(removeFile(files, i))}>
                  ×
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
      <form
        className="kubeconfig-add"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label htmlFor="kubeconfig-add" className="sr-only">
          {t('clusters.addLabel')}
        </label>
        <input id="kubeconfig-add" type="text" spellCheck={false} placeholder={t('clusters.addPlaceholder')} value={typed} onChange={(e) => setTyped(e.target.value)} />
        <button type="submit" className="button" disabled={!typed.trim() || busy === 'add'}>
          {busy === 'add' ? t('clusters.adding') : t('clusters.add')}
        </button>
        {overview.origin === 'settings' && (
          <button type="button" className="button" onClick={() => void act(() => api.updateSettings({ kubeconfigFiles: [], kubeContext: null }))}>
            {t('clusters.reset')}
          </button>
        )}
      </form>
      {refusal && <KubeconfigProgramsNotice reason={refusal} />}
      <p className="muted small">{t('clusters.filesHelp')}</p>
      <div className="form-grid">
        <label htmlFor="kube-context">{t('clusters.context')}</label>
        <select id="kube-context" value={overview.currentContext ?? ''} disabled={overview.contexts.length === 0} onChange={(e) => void act(() => api.updateSettings({ kubeContext: e.target.value }))}>
          {overview.contexts.length === 0 && <option value="">{t('clusters.noContexts')}</option>}
          {overview.contexts.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} — {c.server}
              {c.namespace ? ` (${c.namespace})` : ''}
            </option>
          ))}
        </select>
      </div>
      {problem && (
        <p className="error-text cluster-problem" role="alert">
          {problem}
        </p>
      )}
      {unconfirmed && <KubeconfigProgramsNotice reason={{ kind: 'kubeconfig-programs', situation: 'changed', declined: false, files: unconfirmed }} />}
      <h3 className="form-grid-heading">{t('clusters.emulator')}</h3>
      <p className="muted small">{t('clusters.emulatorHelp')}</p>
      <div className="emulator-line" data-testid="emulator-status">
        {emu.running ? (
          <>
            <span>{t('clusters.running', { url: emu.url, context: emu.context })}</span>
            <button type="button" className="button" disabled={busy === 'emulator'} onClick={() => void emulator(false)}>
              {t('clusters.stop')}
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button primary" disabled={busy === 'emulator' || Boolean(emu.unavailable)} onClick={() => void emulator(true)}>
              {busy === 'emulator' ? t('clusters.starting') : t('clusters.useEmulator')}
            </button>
            <span className="muted small">{emu.unavailable ?? t('clusters.stopped')}</span>
          </>
        )}
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <KfpServiceSettings />
    </div>
  );
}
