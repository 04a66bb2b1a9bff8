/** KFP: the experiment a run goes in, chosen from the server's list or typed as a new name (created when the run starts, as `--experiment` does). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { kfpConnectionRequest } from './runDialogModel.ts';
import type { RunForm } from './runDialogModel.ts';
import { apiErrorText } from '../clusters/kubeconfigPrograms.tsx';

export function KfpExperimentField({ form, onChange }: { form: RunForm; onChange(patch: Partial<RunForm>): void }) {
  const { t } = useTranslation();
  const [names, setNames] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reachable = form.kfpDirect ? form.kfpUrl.trim() !== '' : form.context !== '';
  useEffect(() => {
    if (!reachable) return;
    let live = true;
    const timer = setTimeout(() => {
      api
        .listKfpExperiments({ context: form.context || undefined, namespace: form.namespace.trim() || undefined, ...kfpConnectionRequest(form) })
        .then(
          (list) => {
            if (!live) return;
            setNames(list);
            setError(null);
          },
          (e: unknown) => live && setError(apiErrorText(t, e)),
        );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [reachable, form.context, form.namespace, form.kfpDirect, form.kfpUrl, form.kfpToken, form.kfpAuth, form.kfpTokenEnv, form.kfpCookieEnv, form.kfpServiceAccount]);
  const typed = form.experiment.trim();
  const isNew = typed !== '' && names !== null && !names.includes(typed);
  return (
    <>
      <label htmlFor="run-kfp-experiment">{t('runs.dialog.experiment')}</label>
      <span>
        <input id="run-kfp-experiment" list="run-kfp-experiments" value={form.experiment} placeholder="Default" spellCheck={false} onChange={(e) => onChange({ experiment: e.target.value })} />
        <datalist id="run-kfp-experiments">
          {(names ?? []).map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <span className="muted small" data-testid="kfp-experiment-note">
          {error ? t('runs.dialog.experimentsFailed', { message: error }) : isNew ? t('runs.dialog.experimentNew', { name: typed }) : names ? t('runs.dialog.experimentCount', { count: names.length }) : ''}
        </span>
      </span>
    </>
  );
}
