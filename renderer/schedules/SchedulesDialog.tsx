/** Run > Schedules…: the pipeline's local schedules (cron, time zone, concurrency, catch-up, data trigger, parameter values). */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalScheduleView } from '../../shared/api/schedules.ts';
import { parseParameterText } from '../../shared/pipeline/parameters.ts';
import type { PipelineParameterValue } from '../../shared/pipeline/types.ts';
import { defaultScheduleName } from '../../shared/schedules/check.ts';
import { CronError, WEEKLY_SUNDAY_0200, checkTimeZone, parseCron } from '../../shared/schedules/cron.ts';
import { api } from '../api/client.ts';
import { Modal } from '../dialogs/Modal.tsx';
import { useAppStore } from '../store/index.ts';
import './schedules.css';

const PRESETS: Record<string, string> = { weekly: WEEKLY_SUNDAY_0200, daily: '0 3 * * *' };

function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function SchedulesDialog() {
  const { t, i18n } = useTranslation();
  const doc = useAppStore((s) => s.doc);
  const filePath = useAppStore((s) => s.filePath);
  const [list, setList] = useState<LocalScheduleView[] | null>(null);
  const [serving, setServing] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [name, setName] = useState(defaultScheduleName(doc.name));
  const [preset, setPreset] = useState<'weekly' | 'daily' | 'custom'>('weekly');
  const [cron, setCron] = useState(WEEKLY_SUNDAY_0200);
  const [timezone, setTimezone] = useState(localZone());
  const [maxConcurrency, setMaxConcurrency] = useState(1);
  const [catchUp, setCatchUp] = useState(true);
  const [dataChanged, setDataChanged] = useState(false);
  const [params, setParams] = useState<Record<string, string>>({});
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language, { timeZone: timezone, dateStyle: 'medium', timeStyle: 'short' }) : '-');

  const refresh = useCallback(async () => {
    try {
      const r = await api.listSchedules();
      setList(r.schedules);
      setServing(r.serving);
    } catch (err) {
      setError(t('schedules.failed', { message: (err as Error).message }));
    }
  }, [t]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

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

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      await refresh();
    } catch (err) {
      setError(t('schedules.failed', { message: (err as Error).message }));
    }
  };
  const add = () =>
    act(async () => {
      const added = await api.addSchedule(filePath!, { name, cron, timezone, maxConcurrency, catchUp, parameters: values, trigger: dataChanged ? 'data-changed' : 'cron' });
      setStatus(t('schedules.added', { name: added.name, next: when(added.next) }));
    });

  return (
    <Modal title={t('schedules.title')} wide>
      <p className="schedules-note" role="note">
        {serving ? t('schedules.servingNote') : t('schedules.notServing')}
      </p>
      <section className="schedules-list" aria-label={t('schedules.title')}>
        {list !== null && list.length === 0 && <p>{t('schedules.none')}</p>}
        {list?.map((s) => (
          <div key={s.name} className="schedule-row" data-schedule={s.name}>
            <strong>{s.name}</strong> <span>{s.pipeline}</span> <code>{s.cron}</code> <span>{s.timezone}</span>{' '}
            <span className={`schedule-state ${s.paused ? 'paused' : 'active'}`}>{t(s.paused ? 'schedules.paused' : 'schedules.active')}</span>
            {s.trigger === 'data-changed' && <span> · {t('schedules.dataChanged')}</span>}
            <div className="schedule-times">
              {t('schedules.next', { at: when(s.next) })}
              {s.last && <span title={s.last.message}> · {t('schedules.last', { outcome: t(`schedules.outcome.${s.last.outcome}`), at: when(s.last.at) })}</span>}
            </div>
            <button type="button" onClick={() => act(() => api.setSchedulePaused(s.name, !s.paused))}>
              {t(s.paused ? 'schedules.resume' : 'schedules.pause')}
            </button>
            <button type="button" onClick={() => act(() => api.deleteSchedule(s.name))}>
              {t('schedules.delete')}
            </button>
          </div>
        ))}
      </section>
      <form
        className="schedule-form"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label>
          {t('schedules.name')}
          <input aria-label={t('schedules.name')} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t('schedules.preset')}
          <select aria-label={t('schedules.preset')}
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
          <input aria-label={t('schedules.cron')}
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
          {t('schedules.catchUp')}
        </label>
        <label className="inline">
          <input type="checkbox" checked={dataChanged} onChange={(e) => setDataChanged(e.target.checked)} />
          {t('schedules.dataChanged')}
        </label>
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
        {!filePath && <p className="field-message">{t('schedules.saveFirst')}</p>}
        {error && (
          <p className="field-message error" role="alert">
            {error}
          </p>
        )}
        {status && <p role="status">{status}</p>}
        <button type="submit" className="primary" disabled={!filePath || fieldError !== null}>
          {t('schedules.add')}
        </button>
      </form>
      <p className="field-hint">{t('schedules.cluster')}</p>
    </Modal>
  );
}
