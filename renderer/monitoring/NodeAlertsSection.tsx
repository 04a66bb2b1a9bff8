/** A step's own alert action (nodes[].alerts.action), over the pipeline's. */
import { useTranslation } from 'react-i18next';
import type { AlertAction } from '../../shared/alerts/types.ts';
import type { PipelineNode, Problem } from '../../shared/pipeline/types.ts';
import { fieldDomId, problemsForField } from '../inspector/fieldKeys.ts';
import { SelectField } from '../inspector/fields.tsx';
import { appStore } from '../store/index.ts';
import { withAction } from './alertSettings.ts';

export function NodeAlertsSection({ node, problems }: { node: PipelineNode; problems: readonly Problem[] }) {
  const { t } = useTranslation();
  const dispatch = appStore.getState().dispatch;
  return (
    <section className="inspector-section" data-section="alerts">
      <SelectField
        id={fieldDomId(node.id, 'alerts.action')}
        label={t('monitoring.settings.nodeAction')}
        value={node.alerts?.action ?? ''}
        options={[
          { value: '', label: t('monitoring.settings.inherit') },
          { value: 'notify', label: t('monitoring.settings.notify') },
          { value: 'cancel', label: t('monitoring.settings.cancel') },
        ]}
        problems={problemsForField(problems, node.id, 'alerts.action')}
        overridden={node.alerts?.action !== undefined}
        onReset={() => dispatch({ type: 'patch-node', id: node.id, patch: { alerts: withAction(node.alerts, undefined) } })}
        onCommit={(v) => dispatch({ type: 'patch-node', id: node.id, patch: { alerts: withAction(node.alerts, v === '' ? undefined : (v as AlertAction)) } })}
      />
    </section>
  );
}
