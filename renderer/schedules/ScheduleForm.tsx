/** The schedule's fields, for any target: name, preset or cron, time zone, runs at once, catch-up, data trigger, parameter values. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseParameterText } from '../../shared/pipeline/parameters.ts';
import type { PipelineParameterValue } from '../../shared/pipeline/types.ts';
import { defaultScheduleName } from '../../shared/schedules/check.ts';
import { CronError, WEEKLY_SUNDAY_0200, checkTimeZone, parseCron } from '../../shared/schedules/cron.ts';
import type { ScheduleSpec } from '../../shared/schedules/types.ts';
import { useAppStore } from '../store/index.ts';
import { DataCheckAccess } from './DataCheckAccess.tsx';

const PRESETS: Record<string, string> = { weekly: WEEKLY_SUNDAY_0200, daily: '0 3 * * *' };

function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

interface Props {
  /** Cluster schedules: catch-up is about the cluster's scheduler; Argo and KFP check the data in a first step. */
  cluster?: 'argo' | 'kfp';
  /** Argo: the namespace the CronWorkflow goes to; KFP: the profile namespace (the data check's Role is made for it). */
  namespace?: string;
  /** Why it cannot be submitted now (shown, and the button is off); null when it can. */
  blocked: string | null;
  busy?: boolean;
  error: string | null;
  status: string | null;
  submitLabel: string;
  onSubmit(spec: ScheduleSpec): void;
}

export function ScheduleForm({ cluster, namespace, blocked, busy, error, status, submitLabel, onSubmit }: Props) {
  const { t } = useTranslation();
  const doc = useAppStore((s) => s.doc);
  const [name, setName] = useState(defaultScheduleName(doc.name));
  const [preset, setPreset] = useState<'weekly' | 'daily' | 'custom'>('weekly');
  const [cron, setCron] = useState(WEEKLY_SUNDAY_0200);
  const [timezone, setTimezone] = useState(localZone());
  const [maxConcurrency, setMaxConcurrency] = useState(1);
  const [catchUp, setCatchUp] = useState(true);
  const [dataChanged, setDataChanged] = useState(false);
  const [params, setParams] = useState<Record<string, string>>({});

  let fieldError: string | null = null;
  try {
    parseCron(cron);
    checkTimeZone(timezone);
  } catch (err) {
    fieldError = err instanceof CronError ? err.message : String(err);
  }
  const values: Record<string, PipelineParameterValue> = {};
  for (const p of doc.parameters ?? []) {
    const text = params[p.name];
    if (text === undefined || text === '') continue;
    const parsed = parseParameterText(p.type, text);
    if ('error' in parsed) fieldError ??= `${p.name}: ${parsed.error}`;
    else values[p.name] = parsed.value;
  }

  return (
    <form
      className="schedule-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ name, cron, timezone, maxConcurrency, catchUp, parameters: values, trigger: dataChanged ? 'data-changed' : 'cron' });
      }}
    >
      <label>
        {t('schedules.name')}
        <input aria-label={t('schedules.name')} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t('schedules.preset')}
        <select
          aria-label={t('schedules.preset')}
          value={preset}
          onChange={(e) => {
            const v = e.target.value as typeof preset;
            setPreset(v);
            if (v !== 'custom') setCron(PRESETS[v]);
          }}
        >
          <option value="weekly">{t('schedules.weekly')}</option>
          <option value="daily">{t('schedules.daily')}</option>
          <option value="custom">{t('schedules.custom')}</option>
        </select>
      </label>
      <label>
        {t('schedules.cron')}
        <input
          aria-label={t('schedules.cron')}
          value={cron}
          onChange={(e) => {
            setCron(e.target.value);
            setPreset('custom');
          }}
        />
      </label>
      <label>
        {t('schedules.timezone')}
        <input aria-label={t('schedules.timezone')} value={timezone} onChange={(e) => setTimezone(e.target.value)} />
      </label>
      <label>
        {t('schedules.maxConcurrency')}
        <input aria-label={t('schedules.maxConcurrency')} type="number" min={1} max={10} value={maxConcurrency} onChange={(e) => setMaxConcurrency(Number(e.target.value))} />
      </label>
      <label className="inline">
        <input type="checkbox" checked={catchUp} onChange={(e) => setCatchUp(e.target.checked)} />
        {t(cluster ? 'schedules.cluster.catchUp' : 'schedules.catchUp')}
      </label>
      <label className="inline">
        <input type="checkbox" checked={dataChanged} onChange={(e) => setDataChanged(e.target.checked)} />
        {t('schedules.dataChanged')}
      </label>
      {cluster && dataChanged && (
        <DataCheckAccess target={cluster} pipeline={doc.name} schedule={name} namespace={cluster === 'argo' ? namespace || doc.settings?.namespace || 'default' : namespace} />
      )}
      {(doc.parameters ?? []).length > 0 && (
        <fieldset>
          <legend>{t('schedules.parameters')}</legend>
          {(doc.parameters ?? []).map((p) => (
            <label key={p.name}>
              {p.name}
              <input aria-label={p.name} value={params[p.name] ?? ''} placeholder={p.default === undefined ? '' : String(p.default)} onChange={(e) => setParams({ ...params, [p.name]: e.target.value })} />
            </label>
          ))}
        </fieldset>
      )}
      {fieldError && (
        <p className="field-message error" role="alert">
          {fieldError}
        </p>
      )}
      {blocked && <p className="field-message">{blocked}</p>}
      {error && (
        <p className="field-message error" role="alert">
          {error}
        </p>
      )}
      {status && <p role="status">{status}</p>}
      <button type="submit" className="primary" disabled={blocked !== null || fieldError !== null || busy === true}>
        {submitLabel}
      </button>
    </form>
  );
}
