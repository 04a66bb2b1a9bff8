/** The cluster half of the run dialog: kubeconfig context, namespace, KFP direct URL, Test connection. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionCheck, KubeContextInfo } from '../../shared/api/runs.ts';
import { api } from '../api/client.ts';
import { ConnectionCheckView } from './ConnectionCheckView.tsx';
import { KfpConnectionFields } from '../kfp/KfpConnectionFields.tsx';
import { KfpExperimentField } from './KfpExperimentField.tsx';
import type { RunForm } from './runDialogModel.ts';
import { isNamespace, kfpConnectionRequest } from './runDialogModel.ts';
import { apiErrorText } from '../clusters/kubeconfigPrograms.tsx';

interface Props {
  form: RunForm;
  contexts: readonly KubeContextInfo[] | null;
  onChange(patch: Partial<RunForm>): void;
}

export function ClusterFields({ form, contexts, onChange }: Props) {
  const { t } = useTranslation();
  const [check, setCheck] = useState<ConnectionCheck | null>(null);
  const [testing, setTesting] = useState(false);
  const namespaceBad = form.namespace.trim() !== '' && !isNamespace(form.namespace.trim());

  const test = async () => {
    setTesting(true);
    try {
      // KFP: tested the way the run will reach it (the URL with the login or service account token, else the proxy).
      setCheck(await (form.target === 'kfp' && form.kfpDirect ? api.testConnection(form.context, form.namespace.trim(), kfpConnectionRequest(form)) : api.testConnection(form.context, form.namespace.trim())));
    } catch (error) {
      setCheck({ ok: false, messages: [apiErrorText(t, error)] });
    } finally {
      setTesting(false);
    }
  };

  const change = (patch: Partial<RunForm>) => {
    setCheck(null);
    onChange(patch);
  };

  return (
    <div className="cluster-fields">
      <div className="form-grid">
        <label htmlFor="run-context">{t('run.context')}</label>
        <select id="run-context" value={form.context} onChange={(e) => change({ context: e.target.value })} disabled={!contexts || contexts.length === 0}>
          {!contexts && <option value="">{t('run.loadingContexts')}</option>}
          {contexts?.length === 0 && <option value="">{t('run.noContexts')}</option>}
          {contexts?.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} — {c.server}
            </option>
          ))}
        </select>
        <label htmlFor="run-namespace">{t('run.namespace')}</label>
        <input id="run-namespace" value={form.namespace} aria-invalid={namespaceBad} spellCheck={false} onChange={(e) => change({ namespace: e.target.value })} />
        {form.target === 'kfp' && <KfpConnectionFields form={form} onChange={change} />}
        {form.target === 'kfp' && <KfpExperimentField form={form} onChange={change} />}
      </div>
      <div className="connection-test">
        <button type="button" className="button" disabled={testing || !form.context || !isNamespace(form.namespace.trim())} onClick={() => void test()}>
          {testing ? t('runs.dialog.testing') : t('runs.dialog.test')}
        </button>
      </div>
      {check && <ConnectionCheckView check={check} />}
    </div>
  );
}
