/** Run > Schedules…: the pipeline's schedules on this computer, on Argo Workflows or on Kubeflow Pipelines. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from '../dialogs/Modal.tsx';
import { ClusterSchedules } from './ClusterSchedules.tsx';
import { LocalSchedules } from './LocalSchedules.tsx';
import './schedules.css';

const WHERE = ['local', 'argo', 'kfp'] as const;

export function SchedulesDialog() {
  const { t } = useTranslation();
  const [where, setWhere] = useState<(typeof WHERE)[number]>('local');
  return (
    <Modal title={t('schedules.title')} wide>
      <div className="schedule-where" role="radiogroup" aria-label={t('schedules.where')}>
        {WHERE.map((w) => (
          <label key={w}>
            <input type="radio" name="schedule-target" value={w} checked={where === w} onChange={() => setWhere(w)} />
            {t(`schedules.whereTarget.${w}`)}
          </label>
        ))}
      </div>
      {where === 'local' ? <LocalSchedules /> : <ClusterSchedules key={where} target={where} />}
      {where === 'local' && <p className="field-hint">{t('schedules.cluster.hint')}</p>}
    </Modal>
  );
}
