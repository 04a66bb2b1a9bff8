/**
 * One schedule on a cluster, as the schedules dialog lists it: cron (or interval) and zone, paused or
 * active, runs at once, catch-up, last and next run, what it is when it is not the open pipeline's
 * (another pipeline's, made outside Pipewright), and pause/resume/delete. Deleting one that is not the
 * pipeline's asks first, naming it. A schedule that could not be read just now says why and offers nothing.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClusterSchedule } from '../../shared/api/schedules.ts';

interface Props {
  schedule: ClusterSchedule;
  /** The open pipeline's name: a schedule of another pipeline (or another experiment) is marked. */
  pipeline: string;
  /** KFP: the experiment the dialog is on (a schedule of the pipeline elsewhere says which). */
  experiment?: string;
  busy: boolean;
  /** Not read just now for a reason already said above the list: not repeated. */
  reasonShown?: boolean;
  /** Ask before deleting, naming the schedule (those not the pipeline's own). */
  confirmDelete?: boolean;
  onPause(paused: boolean): void;
  onDelete(): void;
}

export function ClusterScheduleRow({ schedule: s, pipeline, experiment, busy, reasonShown, confirmDelete, onPause, onDelete }: Props) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const when = (iso: string | undefined, none: string) => (iso ? new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) : none);
  // The next run in the schedule's own zone (as its cron reads), with the zone named; else this computer's time.
  const whenThere = (iso: string) => {
    try {
      return new Date(iso).toLocaleString(i18n.language, { timeZone: s.timezone, dateStyle: 'medium', timeStyle: 'short' });
    } catch {
      return when(iso, '');
    }
  };
  const mark = s.external
    ? t('schedules.cluster.external')
    : s.pipeline && s.pipeline !== pipeline
      ? t('schedules.cluster.otherPipeline', { name: s.pipeline })
      : s.experiment && s.experiment !== experiment
        ? t('schedules.cluster.otherExperiment')
        : null;
  const what = s.external ? t('schedules.cluster.kindExternal') : s.pipeline && s.pipeline !== pipeline ? t('schedules.cluster.kindOther', { pipeline: s.pipeline }) : t('schedules.cluster.kindOwn');

  if (s.unread !== undefined) {
    return (
      <div className="schedule-row unread" data-schedule={s.name}>
        <strong>{s.name}</strong> {s.target === 'kfp' && <span className="muted small">id {s.id}</span>}
        <div className="schedule-times" role="alert">
          {reasonShown ? t('schedules.cluster.unreadAbove') : t('schedules.cluster.unread', { message: s.unread })}
        </div>
      </div>
    );
  }

  return (
    <div className="schedule-row" data-schedule={s.name}>
      <strong>{s.name}</strong> {mark && <span className="schedule-mark">{mark}</span>} {s.cron ? <code>{s.cron}</code> : s.every ? <code>{t('schedules.cluster.every', { seconds: s.every })}</code> : null} <span>{s.timezone}</span>{' '}
      <span className={`schedule-state ${s.paused ? 'paused' : 'active'}`}>{t(s.paused ? 'schedules.paused' : 'schedules.active')}</span>
      <div className="schedule-times">
        {t('schedules.cluster.atOnce', { count: s.maxConcurrency === 'any' ? t('schedules.cluster.anyAtOnce') : (s.maxConcurrency ?? '-') })} · {t(s.catchUp ? 'schedules.cluster.catchUpOn' : 'schedules.cluster.catchUpOff')} · {t('schedules.cluster.lastStarted', { at: when(s.lastScheduled, t('schedules.cluster.never')) })} ·{' '}
        {t('schedules.cluster.nextRun', { at: s.paused ? t('schedules.cluster.nextPaused') : s.nextRun ? `${whenThere(s.nextRun)} (${s.timezone})` : t('schedules.cluster.nextUnknown') })}
        {s.experiment && <span> · {t('schedules.cluster.inExperiment', { experiment: s.experiment })}</span>}
        {s.target === 'kfp' && <span className="muted small"> · id {s.id}</span>}
        {s.trigger === 'data-changed' && <span className="schedule-trigger"> · {t('schedules.cluster.whenDataChanged')}</span>}
      </div>
      <button type="button" disabled={busy} onClick={() => onPause(!s.paused)}>
        {t(s.paused ? 'schedules.resume' : 'schedules.pause')}
      </button>
      <button type="button" disabled={busy || confirming} onClick={() => (confirmDelete ? setConfirming(true) : onDelete())}>
        {t('schedules.delete')}
      </button>
      {confirming && (
        <div
          className="schedule-confirm"
          role="alertdialog"
          aria-label={t('schedules.cluster.confirmTitle', { name: s.name })}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setConfirming(false);
            }
          }}
        >
          <p>{t('schedules.cluster.confirmDelete', { name: s.name, what })}</p>
          <button
            type="button"
            className="button danger"
            disabled={busy}
            onClick={() => {
              setConfirming(false);
              onDelete();
            }}
          >
            {t('schedules.cluster.confirmYes', { name: s.name })}
          </button>
          <button type="button" autoFocus onClick={() => setConfirming(false)}>
            {t('schedules.cluster.confirmNo')}
          </button>
        </div>
      )}
    </div>
  );
}
