/** Run: where (this machine, Kubeflow Pipelines, Argo Workflows), the cluster's context and namespace; Enter starts. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeContextInfo } from '../../shared/api/runs.ts';
import type { RunTarget } from '../../shared/runs/types.ts';
import { api } from '../api/client.ts';
import { Modal } from '../dialogs/Modal.tsx';
import { RunEstimate } from '../estimate/RunEstimate.tsx';
import { RunPreflight } from '../preflight/RunPreflight.tsx';
import { appStore, useAppStore } from '../store/index.ts';
import { ClusterFields } from './ClusterFields.tsx';
import { problemText } from '../clusters/problemText.ts';
import { catalog } from '../../node-catalog/index.ts';
import { RunParameters, runProblemText } from '../parameters/RunParameters.tsx';
import { checkRunParameters, initialTexts } from '../parameters/model.ts';
import { startRunRequest } from './runActions.ts';
import type { RunForm } from './runDialogModel.ts';
import { formIssues, initialForm, kfpConnectionRequest, rememberedChoice, runRequest, withContexts } from './runDialogModel.ts';
import { apiErrorText } from '../clusters/kubeconfigPrograms.tsx';

const TARGETS: RunTarget[] = ['local', 'kfp', 'argo'];

export function RunDialog() {
  const { t } = useTranslation();
  const doc = useAppStore((s) => s.doc);
  const pipelineErrors = useAppStore((s) => s.problems.filter((p) => p.severity === 'error').length);
  const [form, setForm] = useState<RunForm>(() => initialForm(doc, undefined));
  const [remembered, setRemembered] = useState<RunTarget | null>(null);
  const [contexts, setContexts] = useState<KubeContextInfo[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [paramTexts, setParamTexts] = useState<Record<string, string>>(() => initialTexts(doc));
  const params = useMemo(() => checkRunParameters(doc, catalog, paramTexts, form.target), [doc, paramTexts, form.target]);
  const paramProblems = Object.entries(params.problems);
  const [error, setError] = useState<string | null>(null);
  const cluster = form.target !== 'local';
  const body = useRef<HTMLDivElement>(null);

  // Focus starts on the chosen target (not the close button), so Enter runs at once.
  useEffect(() => {
    body.current?.querySelector<HTMLInputElement>('input[name="run-target"]:checked')?.focus();
  }, []);

  useEffect(() => {
    let live = true;
    api.getSettings().then(
      (s) => {
        const choice = s.recentContexts[doc.name];
        if (!live || !choice) return;
        setRemembered(choice.target);
        setForm((f) => ({ ...initialForm(doc, choice), kfpDirect: f.kfpDirect, kfpUrl: f.kfpUrl, kfpToken: f.kfpToken, kfpAuth: f.kfpAuth, kfpTokenEnv: f.kfpTokenEnv, kfpCookieEnv: f.kfpCookieEnv, kfpServiceAccount: f.kfpServiceAccount }));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
    // The remembered choice is read once, when the dialog opens.
  }, []);

  useEffect(() => {
    if (!cluster || contexts) return;
    let live = true;
    api.listContexts().then(
      (list) => {
        if (!live) return;
        setContexts(list);
        setForm((f) => withContexts(f, list));
      },
      (e: unknown) => {
        if (!live) return;
        setContexts([]);
        setError(problemText(t, apiErrorText(t, e), 'run') ?? null);
      },
    );
    return () => {
      live = false;
    };
  }, [cluster, contexts]);

  const issues = useMemo(() => formIssues(form, { contexts, pipelineErrors }), [form, contexts, pipelineErrors]);
  const [preflightBlocked, setPreflightBlocked] = useState(false);
  const onPreflightBlocked = useCallback((b: boolean) => setPreflightBlocked(b), []);
  const blocked = issues.length > 0 || paramProblems.length > 0 || (cluster && !contexts) || (cluster && preflightBlocked);

  const start = async () => {
    if (blocked || busy) return;
    setBusy(true);
    setError(null);
    try {
      const id = await startRunRequest({ ...runRequest(form, doc), parameterValues: params.values }, rememberedChoice(form));
      appStore.getState().closeDialog();
      // The target's name is looked up when the message is shown (nesting), so it follows a change of language.
      appStore.getState().showStatus('info', 'run.started', { id, target: form.target });
    } catch (e) {
      setError(t('runs.dialog.startFailed', { message: apiErrorText(t, e) }));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const el = e.target as HTMLElement;
    if (e.key !== 'Enter' || e.shiftKey || e.altKey || el.tagName === 'BUTTON' || el.tagName === 'TEXTAREA') return;
    e.preventDefault();
    void start();
  };

  return (
    <Modal
      title={t('run.title', { name: doc.name })}
      wide
      footer={
        <>
          <span className="muted small run-dialog-hint">{t('runs.dialog.enterHint')}</span>
          <button type="button" className="button" onClick={() => appStore.getState().closeDialog()}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button primary" data-testid="run-start" disabled={busy || blocked} onClick={() => void start()}>
            {busy ? t('run.starting') : t('run.start')}
          </button>
        </>
      }
    >
      <div className="run-dialog" ref={body} onKeyDown={onKeyDown}>
        <fieldset className="target-choice">
          <legend>{t('run.targetLabel')}</legend>
          {TARGETS.map((tg) => (
            <label key={tg} className={`target-option ${form.target === tg ? 'checked' : ''}`}>
              <input type="radio" name="run-target" value={tg} checked={form.target === tg} onChange={() => setForm({ ...form, target: tg })} />
              <span>
                <strong>{t(`run.target.${tg}`)}</strong>
                <span className="muted small">{t(`run.targetHelp.${tg}`)}</span>
                {remembered === tg && <span className="muted small remembered-note">{t('runs.dialog.remembered')}</span>}
              </span>
            </label>
          ))}
        </fieldset>
        {cluster && <ClusterFields form={form} contexts={contexts} onChange={(patch) => setForm((f) => ({ ...f, ...patch }))} />}
        <RunParameters doc={doc} texts={paramTexts} problems={params.problems} onChange={(name, text) => setParamTexts((all) => ({ ...all, [name]: text }))} />
        <RunPreflight target={form.target} context={form.context} namespace={form.namespace} kfp={form.target === 'kfp' ? kfpConnectionRequest(form) : undefined} onBlockedChange={onPreflightBlocked} />
        <RunEstimate />
        {(issues.length > 0 || paramProblems.length > 0) && (
          <div className="run-issues" role="alert">
            <strong>{t('runs.dialog.fixFirst')}</strong>
            <ul>
              {issues.map((issue) => (
                <li key={issue.key}>{t(`runs.dialog.${issue.key}`, issue.values)}</li>
              ))}
              {paramProblems.map(([name, message]) => (
                <li key={`param-${name}`}>{t('parameters.run.problem', { name, message: runProblemText(t, doc.parameters?.find((p) => p.name === name)?.type, message) })}</li>
              ))}
            </ul>
          </div>
        )}
        {error && (
          <p className="error-text" role="alert">
            {error}
            {cluster && contexts?.length === 0 && (
              <>
                {' '}
                <button type="button" className="button small" onClick={() => appStore.getState().openDialog({ kind: 'settings', section: 'clusters' })}>
                  {t('clusters.openSettings')}
                </button>
              </>
            )}
          </p>
        )}
      </div>
    </Modal>
  );
}
