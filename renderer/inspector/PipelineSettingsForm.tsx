/** Pipeline-wide settings, shown when nothing is selected: name, image, namespace, checkpoints, MLflow, secret env. */
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n/index.ts';
import { problemText } from '../i18n/problems.ts';
import { BUILTIN_IMAGE } from '../../shared/pipeline/image.ts';
import type { PipelineSettings, Problem, SecretEnvRef } from '../../shared/pipeline/types.ts';
import { appStore, useAppStore } from '../store/index.ts';
import { fieldDomId, problemsForField } from './fieldKeys.ts';
import { TextField } from './fields.tsx';
import { MonitoringSettings } from '../monitoring/MonitoringSettings.tsx';
import { ParametersSection } from '../parameters/ParametersSection.tsx';

export function PipelineSettingsForm({ problems }: { problems: readonly Problem[] }) {
  const lang = useLang();
  const { t } = useTranslation();
  const doc = useAppStore((s) => s.doc);
  const settings = doc.settings ?? {};
  const dispatch = appStore.getState().dispatch;
  const setSetting = (patch: Partial<PipelineSettings>, live = true) => dispatch({ type: 'set-settings', patch }, { mark: !live });
  type TextKey = 'namespace' | 'image' | 'pipelineRoot' | 'mlflowTrackingUri' | 'mlflowExperiment' | 'registeredModelName' | 'checkpointPvc';
  const text = (key: TextKey, placeholder: string) => (
    <TextField
      id={fieldDomId(null, `settings.${key}`)}
      label={t(`settings.${key}`)}
      value={settings[key] ?? ''}
      placeholder={placeholder}
      hint={t(`settings.${key}Hint`)}
      problems={problemsForField(problems, null, `settings.${key}`)}
      onCommit={(v) => setSetting({ [key]: v === '' ? undefined : v })}
    />
  );
  const secrets = settings.secretEnv ?? [];
  const setSecret = (i: number, patch: Partial<SecretEnvRef>) => setSetting({ secretEnv: secrets.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  // Each input gets the id a problem at `settings.secretEnv.I.PART` focuses, and is marked when that part is wrong.
  const secretPart = (i: number, name: keyof SecretEnvRef) => {
    const key = `settings.secretEnv.${i}.${name}`;
    return { id: fieldDomId(null, key), 'aria-invalid': problemsForField(problems, null, key).some((p) => p.severity === 'error') };
  };
  return (
    <div className="pipeline-settings">
      <header className="inspector-head">
        <div className="inspector-type">{t('settings.pipeline')}</div>
        <p className="inspector-help">{t('settings.pipelineHelp')}</p>
      </header>
      <section className="inspector-section">
        <TextField
          id={fieldDomId(null, 'name')}
          label={t('settings.name')}
          value={doc.name}
          hint={t('settings.nameHint')}
          problems={problemsForField(problems, null, 'name')}
          onCommit={(v) => dispatch({ type: 'patch-document', patch: { name: v } }, { mark: false })}
        />
        <TextField
          id={fieldDomId(null, 'description')}
          label={t('settings.description')}
          value={doc.description ?? ''}
          multiline
          onCommit={(v) => dispatch({ type: 'patch-document', patch: { description: v === '' ? undefined : v } }, { mark: false })}
        />
      </section>
      <ParametersSection problems={problems} />
      <section className="inspector-section">
        <h3>{t('settings.execution')}</h3>
        {text('image', BUILTIN_IMAGE)}
        {text('namespace', 'kubeflow')}
        {text('pipelineRoot', 's3://bucket/prefix')}
        {text('checkpointPvc', 'train-checkpoints')}
        {text('mlflowTrackingUri', 'http://mlflow-server:5000')}
        {text('mlflowExperiment', doc.name)}
        {text('registeredModelName', '')}
      </section>
      <section className="inspector-section" onBlur={() => appStore.getState().markGesture()}>
        <div className="field-top">
          <h3>{t('settings.secretEnv')}</h3>
          <button type="button" className="link small" id={fieldDomId(null, 'settings.secretEnv')} onClick={() => setSetting({ secretEnv: [...secrets, { secret: '', key: '', env: '' }] }, false)}>
            {t('settings.addSecret')}
          </button>
        </div>
        <p className="field-hint">{t('settings.secretEnvHint')}</p>
        {secrets.map((s, i) => (
          <div className="list-row" key={i} role="group" aria-label={t('settings.secretN', { n: i + 1 })}>
            <input {...secretPart(i, 'secret')} aria-label={t('settings.secretName')} placeholder={t('settings.secretName')} value={s.secret} onChange={(e) => setSecret(i, { secret: e.target.value })} />
            <input {...secretPart(i, 'key')} aria-label={t('settings.secretKey')} placeholder={t('settings.secretKey')} value={s.key} onChange={(e) => setSecret(i, { key: e.target.value })} />
            <input {...secretPart(i, 'env')} aria-label={t('settings.secretEnvName')} placeholder="HF_TOKEN" value={s.env} onChange={(e) => setSecret(i, { env: e.target.value })} />
            <button type="button" className="icon-button" aria-label={t('inspector.remove')} onClick={() => setSetting({ secretEnv: secrets.filter((_, j) => j !== i) }, false)}>
              ×
            </button>
          </div>
        ))}
        {problemsForField(problems, null, 'settings.secretEnv').map((p, i) => (
          <div key={i} className={`field-message ${p.severity}`}>
            {problemText(p, lang)}
          </div>
        ))}
      </section>
      <MonitoringSettings problems={problems} />
    </div>
  );
}
