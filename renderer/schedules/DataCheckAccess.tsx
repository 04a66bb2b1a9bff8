/**
 * What a cluster schedule that runs "when the data changes" needs from the cluster: the data check, and the
 * Role for its ConfigMap, made for the account the runs' pods use (Argo: the namespace's default; KFP:
 * default-editor in a profile namespace, pipeline-runner in KFP's own namespace on a single-user install).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_KFP_SERVICE } from '../../shared/runs/kfpConnection.ts';
import { dataCheckConfigMapName } from '../../shared/schedules/dataCheck/argo.ts';
import { dataCheckRbacYaml, kfpRunAccount } from '../../shared/schedules/dataCheck/rbac.ts';
import { api } from '../api/client.ts';

interface Props {
  target: 'argo' | 'kfp';
  pipeline: string;
  schedule: string;
  /** Argo: the CronWorkflow's namespace. KFP: the profile namespace of a multi-user install, none on a single-user one. */
  namespace: string | undefined;
}

export function DataCheckAccess({ target, pipeline, schedule, namespace }: Props) {
  const { t } = useTranslation();
  // Single-user KFP runs in the namespace of its API service (Settings › Clusters).
  const [kfpNamespace, setKfpNamespace] = useState(DEFAULT_KFP_SERVICE.namespace);
  useEffect(() => {
    if (target !== 'kfp') return;
    let live = true;
    void api
      .getSettings()
      .then((s) => live && s.kfpService?.namespace && setKfpNamespace(s.kfpService.namespace))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [target]);
  const account = target === 'argo' ? { namespace: namespace || 'default', serviceAccount: 'default' } : kfpRunAccount(namespace, kfpNamespace);
  const configMap = dataCheckConfigMapName(pipeline, schedule);
  return (
    <div className="data-check-access" data-testid="data-check-access">
      <p className="field-message">
        {target === 'argo'
          ? t('schedules.cluster.dataCheckNote', { configMap, namespace: account.namespace })
          : t('schedules.cluster.dataCheckNoteKfp', { configMap, namespace: account.namespace, account: account.serviceAccount })}
      </p>
      <details>
        <summary>{t('schedules.cluster.dataCheckRbac')}</summary>
        <pre aria-label={t('schedules.cluster.dataCheckRbac')}>{dataCheckRbacYaml(pipeline, schedule, account)}</pre>
      </details>
    </div>
  );
}
