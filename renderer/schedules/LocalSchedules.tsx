/** The local schedules: run on this computer while Pipewright is open; listed with next and last firing, paused, resumed, deleted, added. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalScheduleView } from '../../shared/api/schedules.ts';
import type { ScheduleSpec } from '../../shared/schedules/types.ts';
import { api } from '../api/client.ts';
import { useAppStore } from '../store/index.ts';
import { ScheduleForm } from './ScheduleForm.tsx';

export function LocalSchedules() {
  const { t, i18n } = useTranslation();
  const filePath = useAppStore((s) => s.filePath);
  const [list, setList] = useState<LocalScheduleView[] | null>(null);
  const [serving, setServing] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // Kept as data and worded when shown, so it follows a change of language.
  const [added, setAdded] = useState<{ name: string; next: string | null; timezone: string } | null>(null);
  // A time in the schedule's own zone (as its cron reads), the zone named: this computer's may differ.
  const when = (iso: string | null, timeZone: string) => (iso ? `${new Date(iso).toLocaleString(i18n.language, { timeZone, dateStyle: 'medium', timeStyle: 'short' })} (${timeZone})` : '-');
  const nextOf = (s: { next: string | null; timezone: string; paused?: boolean }) => (s.paused ? t('schedules.nextPaused') : when(s.next, s.timezone));

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

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      await refresh();
    } catch (err) {
      setError(t('schedules.failed', { message: (err as Error).message }));
    }
  };
  const add = (spec: ScheduleSpec) =>
    act(async () => {
      const made = await api.addSchedule(filePath!, spec);
      setAdded({ name: made.name, next: made.next, timezone: made.timezone });
    });

  return (
    <>
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
              {t('schedules.next', { at: nextOf(s) })}
              {s.last && <span title={s.last.message}> · {t('schedules.last', { outcome: t(`schedules.outcome.${s.last.outcome}`), at: when(s.last.at, s.timezone) })}</span>}
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
      <ScheduleForm blocked={filePath ? null : t('schedules.saveFirst')} error={error} status={added && t('schedules.added', { name: added.name, next: nextOf(added) })} submitLabel={t('schedules.add')} onSubmit={(spec) => void add(spec)} />
    </>
  );
}
