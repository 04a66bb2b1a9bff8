/** The right-hand panel: the selected node's form, a multi-selection summary, or the pipeline settings. */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { PanelHideButton } from '../shell/PanelToggle.tsx';
import { useAppStore } from '../store/index.ts';
import { focusField } from './fieldKeys.ts';
import { NodeInspector } from './NodeInspector.tsx';
import { PipelineSettingsForm } from './PipelineSettingsForm.tsx';

export function Inspector() {
  const { t } = useTranslation();
  const selected = useAppStore((s) => s.selectedNodeIds);
  const node = useAppStore((s) => (s.selectedNodeIds.length === 1 ? s.doc.nodes.find((n) => n.id === s.selectedNodeIds[0]) : undefined));
  const problems = useAppStore((s) => s.problems);
  const focus = useAppStore((s) => s.focusField);
  const body = useRef<HTMLDivElement>(null);
  const nodeId = node?.id;

  // Another node's form starts at its top, not at the previous form's scroll position (a field focus request scrolls after this).
  useEffect(() => {
    if (body.current) body.current.scrollTop = 0;
  }, [nodeId]);

  useEffect(() => {
    if (!focus) return;
    // After the inspector has rendered the requested node's form.
    const frame = requestAnimationFrame(() => focusField(focus.nodeId, focus.field));
    return () => cancelAnimationFrame(frame);
  }, [focus]);

  return (
    <aside className="inspector" aria-label={t('inspector.title')}>
      <div className="panel-header">
        {t('inspector.title')}
        <PanelHideButton which="inspector" />
      </div>
      <div className="inspector-body" ref={body}>
        {node ? (
          <NodeInspector key={node.id} node={node} problems={problems} />
        ) : selected.length > 1 ? (
          <div className="inspector-multi">
            <p>{t('inspector.multi', { count: selected.length })}</p>
            <p className="muted small">{t('inspector.multiHint')}</p>
          </div>
        ) : (
          <PipelineSettingsForm problems={problems} />
        )}
      </div>
    </aside>
  );
}
