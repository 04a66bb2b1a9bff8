/** The deploy step's manifests in a read-only YAML editor: rendered (a local run) or applied to the cluster (a cluster run). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ManifestArtifact } from '../../shared/api/runs.ts';
import { LazyMonaco } from '../monaco/LazyMonaco.tsx';
import { useResolvedTheme } from '../theme.ts';

export function ManifestsView({ runId, nodeId, manifests }: { runId: string; nodeId: string; manifests: ManifestArtifact[] }) {
  const { t, i18n } = useTranslation();
  const dark = useResolvedTheme() === 'dark';
  const [chosen, setChosen] = useState(manifests[0]?.file);
  const current = manifests.find((m) => m.file === chosen) ?? manifests[0];
  if (!current) return null;
  const applied = current.applied;
  return (
    <div className="artifacts-manifests" data-file={current.file} data-applied={applied ? 'true' : 'false'}>
      <h4>{t('runs.artifacts.manifests')}</h4>
      <div className="manifest-tabs" role="tablist" aria-label={t('runs.artifacts.manifests')}>
        {manifests.map((m) => (
          <button key={m.file} type="button" role="tab" aria-selected={m.file === current.file} className={m.file === current.file ? 'active' : ''} onClick={() => setChosen(m.file)}>
            {m.file}
          </button>
        ))}
      </div>
      <p className="muted manifest-status">
        {applied
          ? t('runs.artifacts.applied', {
              kind: applied.kind, name: applied.name, namespace: applied.namespace,
              generation: applied.generation ?? '—', at: new Date(applied.at).toLocaleString(i18n.language),
            })
          : t('runs.artifacts.rendered')}
      </p>
      <div className="manifest-editor">
        <LazyMonaco value={current.text} language="yaml" readOnly dark={dark} ariaLabel={t('runs.artifacts.manifestLabel', { file: current.file })} path={`run/${runId}/${nodeId}/${current.file}`} />
      </div>
    </div>
  );
}
