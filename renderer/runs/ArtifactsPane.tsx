/** A run node's outputs: files with sizes and content hashes, eval predictions, rendered manifests, the model card. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NodeArtifacts } from '../../shared/api/runs.ts';
import { formatBytes } from '../../shared/format/bytes.ts';
import { api } from '../api/client.ts';
import { ManifestsView } from './ManifestsView.tsx';

export function ArtifactsPane({ runId, nodeId, finished }: { runId: string; nodeId: string; finished: boolean }) {
  const { t } = useTranslation();
  const [data, setData] = useState<NodeArtifacts | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    setData(undefined);
    setError(undefined);
    api.readArtifacts(runId, nodeId).then(
      (d) => live && setData(d),
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [runId, nodeId, finished]);
  return (
    <details className="artifacts-pane" data-node-id={nodeId}>
      <summary>{t('runs.artifacts.title')}</summary>
      {error && <p className="error">{t('runs.artifacts.failed', { message: error })}</p>}
      {!data && !error && <p className="muted">{t('runs.artifacts.loading')}</p>}
      {data && !data.available && <p className="muted">{t(`runs.artifacts.${data.reason ?? 'no-outputs'}`)}</p>}
      {data && !data.available && data.manifests && data.manifests.length > 0 && <ManifestsView runId={runId} nodeId={nodeId} manifests={data.manifests} />}
      {data?.available && (
        <>
          <table className="artifacts-files">
            <thead>
              <tr>
                <th>{t('runs.artifacts.file')}</th>
                <th>{t('runs.artifacts.size')}</th>
                <th>{t('runs.artifacts.hash')}</th>
              </tr>
            </thead>
            <tbody>
              {data.files.map((f) => (
                <tr key={f.path} data-file={f.path}>
                  <td>{f.path}</td>
                  <td className="num" title={`${f.size} B`}>{formatBytes(f.size)}</td>
                  <td className="mono" title={f.sha256 ?? t('runs.artifacts.notHashed')}>{f.sha256 ? `sha256:${f.sha256.slice(0, 12)}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.truncated && <p className="muted">{t('runs.artifacts.truncated', { count: data.files.length })}</p>}
          {data.predictions && (
            <>
              <h4>{t('runs.artifacts.predictions', { shown: data.predictions.length, total: data.predictionsTotal ?? data.predictions.length })}</h4>
              <table className="artifacts-predictions">
                <thead>
                  <tr>
                    <th>{t('runs.artifacts.prompt')}</th>
                    <th>{t('runs.artifacts.expected')}</th>
                    <th>{t('runs.artifacts.answer')}</th>
                    <th>{t('runs.artifacts.correct')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.predictions.map((row, i) => (
                    <tr key={i} className={row.correct ? 'ok' : 'wrong'}>
                      <td>{row.prompt}</td>
                      <td>{row.expected}</td>
                      <td>{row.answer}</td>
                      <td>{row.correct ? '✓' : '✗'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {data.manifests && data.manifests.length > 0 && <ManifestsView runId={runId} nodeId={nodeId} manifests={data.manifests} />}
          {data.modelCard && (
            <div className="artifacts-model-card">
              <h4>{t('runs.artifacts.modelCard')}</h4>
              <pre>{JSON.stringify(data.modelCard, null, 2)}</pre>
            </div>
          )}
        </>
      )}
    </details>
  );
}
