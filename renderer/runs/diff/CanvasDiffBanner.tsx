/** Over the canvas while a run's graph diff is marked on it: what the marks mean, what was removed, and Clear. */
import { useTranslation } from 'react-i18next';
import { clearCanvasDiff, useCanvasDiff } from './canvasDiff.ts';

export function CanvasDiffBanner() {
  const { t } = useTranslation();
  const diff = useCanvasDiff();
  if (!diff) return null;
  const added = Object.values(diff.nodes).filter((n) => n.change === 'added').length;
  const changed = Object.values(diff.nodes).length - added;
  return (
    <div className="canvas-diff-banner" role="status" data-testid="canvas-diff">
      <span>{t('runs.diff.canvas.summary', { id: diff.runId, added, changed })}</span>
      {diff.removed.length > 0 && <span className="canvas-diff-removed">{t('runs.diff.canvas.removed', { nodes: diff.removed.join(', ') })}</span>}
      <button type="button" className="button small" onClick={clearCanvasDiff}>
        {t('runs.diff.canvas.clear')}
      </button>
    </div>
  );
}
