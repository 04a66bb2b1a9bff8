/** What an Argo schedule that runs "when the data changes" needs from the cluster: the data check, and the Role for its ConfigMap. */
import { useTranslation } from 'react-i18next';
import { dataCheckConfigMapName } from '../../shared/schedules/dataCheck/argo.ts';
import { dataCheckRbacYaml } from '../../shared/schedules/dataCheck/rbac.ts';

export function DataCheckAccess({ pipeline, schedule, namespace }: { pipeline: string; schedule: string; namespace: string }) {
  const { t } = useTranslation();
  return (
    <div className="data-check-access" data-testid="data-check-access">
      <p className="field-message">{t('schedules.cluster.dataCheckNote', { configMap: dataCheckConfigMapName(pipeline, schedule), namespace })}</p>
      <details>
        <summary>{t('schedules.cluster.dataCheckRbac')}</summary>
        <pre aria-label={t('schedules.cluster.dataCheckRbac')}>{dataCheckRbacYaml(pipeline, schedule, { namespace, serviceAccount: 'default' })}</pre>
      </details>
    </div>
  );
}
