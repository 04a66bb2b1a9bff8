/**
 * The pipeline's schedules on a cluster (Argo CronWorkflows, KFP recurring runs): listed, created,
 * paused, resumed and deleted through the same service code as `pipewright schedule(s)`; while this is
 * open the runs they start are looked for and added to the runs list, marked scheduled.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeContextInfo } from '../../shared/api/runs.ts';
import type { ClusterScheduleEndpoint, ClusterScheduleList } from '../../shared/api/schedules.ts';
import type { ScheduleSpec } from '../../shared/schedules/types.ts';
import { api } from '../api/client.ts';
import { ClusterFields } from '../runs/ClusterFields.tsx';
import type { RunForm } from '../runs/runDialogModel.ts';
import { formIssues, initialForm, kfpConnectionRequest, withContexts } from '../runs/runDialogModel.ts';
import { loadRuns } from '../runs/runSync.ts';
import { useAppStore } from '../store/index.ts';
import { ClusterScheduleRow } from './ClusterScheduleRow.tsx';
import { ScheduleForm } from './ScheduleForm.tsx';
import { apiErrorText } from '../clusters/kubeconfigPrograms.tsx';

/** How often the open dialog looks for runs the schedules started. */
const SYNC_MS = 10_000;

function endpointOf(form: RunForm): ClusterScheduleEndpoint {
  const target = form.target === 'kfp' ? 'kfp' : 'argo';
  const e: ClusterScheduleEndpoint = { target, context: form.context || undefined, namespace: form.namespace.trim() || undefined };
  // The same connection as a run from the run dialog: URL, login session or service account token, secrets by reference.
  if (target === 'kfp') Object.assign(e, kfpConnectionRequest(form));
  if (target === 'kfp' && form.experiment.trim()) e.experiment = form.experiment.trim();
  return e;
}

export function ClusterSchedules({ target }: { target: 'argo' | 'kfp' }) {
  const { t } = useTranslation();
  const doc = useAppStore((s) => s.doc);
  const pipelineErrors = useAppStore((s) => s.problems.filter((p) => p.severity === 'error').length);
  const [form, setForm] = useState<RunForm>(() => ({ ...initialForm(doc, undefined), target }));
  const [contexts, setContexts] = useState<KubeContextInfo[] | null>(null);
  const [list, setList] = useState<ClusterScheduleList | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [found, setFound] = useState<string | null>(null);
  const [warning, setWarning] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const endpoint = useMemo(() => endpointOf(form), [form]);
  const endpointKey = JSON.stringify(endpoint);
  const ready = contexts !== null && formIssues(form, { contexts, pipelineErrors: 0 }).length === 0;

  useEffect(() => {
    let live = true;
    api.listContexts().then(
      (all) => {
        if (!live) return;
        setContexts(all);
        setForm((f) => withContexts(f, all));
      },
      (e: unknown) => {
        if (!live) return;
        setContexts([]);
        setLoadError(apiErrorText(t, e));
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const refresh = useCallback(async () => {
    try {
      setList(await api.listClusterSchedules(JSON.parse(endpointKey) as ClusterScheduleEndpoint, doc.name));
      setLoadError(null);
    } catch (e) {
      setList(null);
      setLoadError(apiErrorText(t, e));
    }
  }, [endpointKey, doc.name]);

  useEffect(() => {
    if (!ready) return;
    const timer = setTimeout(() => void refresh(), 300);
    return () => clearTimeout(timer);
  }, [ready, refresh]);

  const sync = useCallback(
    async (asked: boolean) => {
      try {
        const imported = await api.syncScheduledRuns(JSON.parse(endpointKey) as ClusterScheduleEndpoint, doc);
        if (imported.length > 0) {
          setFound(t('schedules.cluster.found', { count: imported.length, names: [...new Set(imported.map((r) => r.scheduleName ?? r.scheduledBy))].join(', ') }));
          void loadRuns();
          await refresh();
        } else if (asked) setFound(t('schedules.cluster.noneFound'));
      } catch (e) {
        setFound(t('schedules.cluster.syncFailed', { message: apiErrorText(t, e) }));
      }
    },
    [endpointKey, doc, refresh, t],
  );

  const count = list?.schedules.length ?? 0;
  useEffect(() => {
    if (!ready || count === 0) return;
    const timer = setInterval(() => void sync(false), SYNC_MS);
    return () => clearInterval(timer);
  }, [ready, count, sync]);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await work();
      await refresh();
    } catch (e) {
      setError(t('schedules.failed', { message: apiErrorText(t, e) }));
    } finally {
      setBusy(false);
    }
  };
  const create = (spec: ScheduleSpec) =>
    act(async () => {
      const made = await api.addClusterSchedule(endpoint, doc, spec);
      setStatus(t('schedules.cluster.created', { name: made.name, where: list ? placeText(list.place) : '' }));
      setWarning(made.warnings?.length ? made.warnings.join('\n') : null);
    });
  const placeText = (p: ClusterScheduleList['place']) =>
    p.target === 'argo'
      ? t('schedules.cluster.placeArgo', { context: p.context, namespace: p.namespace })
      : p.namespace
        ? t('schedules.cluster.placeKfpProfile', { server: p.kfpUrl ?? p.context, namespace: p.namespace, experiment: p.experiment })
        : t('schedules.cluster.placeKfp', { server: p.kfpUrl ?? p.context, experiment: p.experiment });
  const blocked = pipelineErrors > 0 ? t('schedules.cluster.pipelineErrors', { count: pipelineErrors }) : !ready ? t('schedules.cluster.chooseCluster') : null;

  return (
    <>
      <p className="schedules-note" role="note">
        {t('schedules.cluster.note')}
      </p>
      <ClusterFields form={form} contexts={contexts} onChange={(patch) => setForm((f) => ({ ...f, ...patch }))} />
      <section className="schedules-list" aria-label={t('schedules.title')} data-testid="cluster-schedules">
        {list && <h3 className="schedules-where">{t('schedules.cluster.where', { pipeline: doc.name, where: placeText(list.place) })}</h3>}
        {loadError && (
          <p className="field-message error" role="alert">
            {t('schedules.cluster.loadFailed', { message: loadError })}
          </p>
        )}
        {list?.problems?.map((p) => (
          <p key={p} className="field-message warning" role="alert" data-testid="schedules-problem">
            {t('schedules.cluster.problem', { message: p })}
          </p>
        ))}
        {list?.ownPartial ? <p className="field-hint">{t('schedules.cluster.ownPartial')}</p> : list && list.schedules.length === 0 && <p>{t('schedules.cluster.none')}</p>}
        {list?.schedules.map((s) => (
          <ClusterScheduleRow key={s.id} schedule={s} pipeline={doc.name} experiment={list.place.experiment} busy={busy} reasonShown={s.unread !== undefined && s.unread !== '' && list.problems?.some((p) => p.includes(s.unread!))} onPause={(paused) => void act(() => api.setClusterSchedulePaused(endpoint, s.id, paused))} onDelete={() => void act(() => api.deleteClusterSchedule(endpoint, s.id))} />
        ))}
        {count > 0 && (
          <p className="schedules-found">
            <button type="button" onClick={() => void sync(true)}>
              {t('schedules.cluster.lookForRuns')}
            </button>{' '}
            {found && <span data-testid="schedules-found">{found}</span>}
          </p>
        )}
      </section>
      {list?.others && (
        <section className="schedules-list schedules-others" aria-labelledby="cluster-schedules-others-title" data-testid="cluster-schedules-others">
          <h3 id="cluster-schedules-others-title" className="schedules-where">
            {t(target === 'kfp' ? 'schedules.cluster.othersTitleKfp' : 'schedules.cluster.othersTitle', { namespace: list.place.namespace, count: list.others.length })}
          </h3>
          {list.others.length === 0 && <p>{t('schedules.cluster.noOthers')}</p>}
          {list.others.map((s) => (
            <ClusterScheduleRow key={s.id} schedule={s} pipeline={doc.name} experiment={list.place.experiment} busy={busy} confirmDelete onPause={(paused) => void act(() => api.setClusterSchedulePaused(endpoint, s.id, paused))} onDelete={() => void act(() => api.deleteClusterSchedule(endpoint, s.id))} />
          ))}
        </section>
      )}
      {warning && (
        <div className="field-message warning" role="alert" data-testid="schedule-warning">
          <p>{t('schedules.cluster.accessWarning')}</p>
          <pre>{warning}</pre>
        </div>
      )}
      <ScheduleForm cluster={target} namespace={target === 'kfp' ? list?.place.namespace : (list?.place.namespace ?? (form.namespace.trim() || undefined))} blocked={blocked} busy={busy} error={error} status={status} submitLabel={t('schedules.cluster.create')} onSubmit={(spec) => void create(spec)} />
    </>
  );
}
