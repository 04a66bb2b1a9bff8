/** The run panel (a tab of the bottom panel): header, the run's steps, the chosen step's log and metrics. */
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/index.ts';
import { LogView } from './LogView.tsx';
import { ArtifactsPane } from './ArtifactsPane.tsx';
import { LineageButton } from './lineage/LineageDialog.tsx';
import { MetricsPane } from './MetricsPane.tsx';
import { panelNodeFor } from './runFolding.ts';
import { RunHeader } from './RunHeader.tsx';
import { RunNodeList } from './RunNodeList.tsx';
import { shownRun } from './runsSlice.ts';
import './runs.css';

export function RunPanel() {
  const { t } = useTranslation();
  const run = useAppStore(shownRun);
  const selected = useAppStore((s) => (s.selectedNodeIds.length === 1 ? s.selectedNodeIds[0] : null));
  const chosen = useAppStore((s) => s.panelNodeId);
  const docNodes = useAppStore((s) => s.doc.nodes);
  const nodeLabel = (id: string) => docNodes.find((n) => n.id === id)?.label || id;
  if (!run) return <p className="muted run-none">{t('runs.panel.none')}</p>;
  const nodeId = panelNodeFor(run, selected, chosen);
  const node = nodeId ? run.nodes[nodeId] : undefined;
  return (
    <div className="run-panel" data-run-id={run.id}>
      <RunHeader run={run} />
      <div className="run-body">
        <RunNodeList run={run} active={nodeId} />
        {nodeId && node ? (
          <>
            <LogView key={`${run.id}/${nodeId}`} runId={run.id} nodeId={nodeId} nodeLabel={nodeLabel(nodeId)} />
            <div className="run-side">
              <MetricsPane runId={run.id} nodeId={nodeId} nodeLabel={nodeLabel(nodeId)} node={node} />
              <LineageButton runId={run.id} nodeId={nodeId} nodeLabel={nodeLabel(nodeId)} />
              <ArtifactsPane key={`${run.id}/${nodeId}`} runId={run.id} nodeId={nodeId} finished={node.phase !== 'running' && node.phase !== 'pending'} />
            </div>
          </>
        ) : (
          <p className="muted">{t('runs.log.noNode')}</p>
        )}
      </div>
    </div>
  );
}
