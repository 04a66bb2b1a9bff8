/** Run: pick a target (this machine, Kubeflow Pipelines, Argo Workflows), a kubeconfig context and namespace. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeContextInfo } from '../../shared/api/runs.ts';
import type { RunTarget } from '../../shared/runs/types.ts';
import { api } from '../api/client.ts';
import { appStore, useAppStore } from '../store/index.ts';
import { Modal } from './Modal.tsx';

const TARGETS: RunTarget[] = ['local', 'kfp', 'argo'];

export function RunDialog() {
  const { t } = useTranslation();
  const doc = useAppStore((s) => s.doc);
  const [target, setTarget] = useState<RunTarget>('local');
  const [contexts, setContexts] = useState<KubeContextInfo[] | null>(null);
  const [context, setContext] = useState('');
  const [namespace, setNamespace] = useState(doc.settings?.namespace ?? 'kubeflow');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cluster = target !== 'local';

  useEffect(() => {
    if (!cluster || contexts) return;
    api
      .listContexts()
      .then((list) => {
        setContexts(list);
        const current = list.find((c) => c.current) ?? list[0];
        if (current) {
          setContext(current.name);
          if (current.namespace && !doc.settings?.namespace) setNamespace(current.namespace);
        }
      })
      .catch((e: unknown) => {
        setContexts([]);
        setError(e instanceof Error ? e.message : String(e));
      });
  }, [cluster, contexts, doc.settings?.namespace]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const run = await api.startRun({ document: doc, target, ...(cluster ? { context, namespace } : {}) });
      appStore.getState().closeDialog();
      appStore.getState().showStatus('info', 'run.started', { id: run.id, target: t(`run.target.${target}`) });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={t('run.title', { name: doc.name })}
      footer={
        <>
          <button type="button" className="button" onClick={() => appStore.getState().closeDialog()}>{t('common.cancel')}</button>
          <button type="button" className="button primary" disabled={busy || (cluster && !context)} onClick={() => void start()}>
            {busy ? t('run.starting') : t('run.start')}
          </button>
        </>
      }
    >
      <fieldset className="target-choice">
        <legend>{t('run.targetLabel')}</legend>
        {TARGETS.map((tg) => (
          <label key={tg} className={`target-option ${target === tg ? 'checked' : ''}`}>
            <input type="radio" name="run-target" value={tg} checked={target === tg} onChange={() => setTarget(tg)} />
            <span>
              <strong>{t(`run.target.${tg}`)}</strong>
              <span className="muted small">{t(`run.targetHelp.${tg}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {cluster && (
        <div className="form-grid">
          <label htmlFor="run-context">{t('run.context')}</label>
          <select id="run-context" value={context} onChange={(e) => setContext(e.target.value)} disabled={!contexts || contexts.length === 0}>
            {!contexts && <option>{t('run.loadingContexts')}</option>}
            {contexts?.length === 0 && <option value="">{t('run.noContexts')}</option>}
            {contexts?.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} — {c.server}
              </option>
            ))}
          </select>
          <label htmlFor="run-namespace">{t('run.namespace')}</label>
          <input id="run-namespace" value={namespace} onChange={(e) => setNamespace(e.target.value)} />
        </div>
      )}
      {error && <p className="error-text" role="alert">{error}</p>}
    </Modal>
  );
}
