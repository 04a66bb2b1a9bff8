/** Problems, compiled output and Python code, as tabs under the canvas. */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { PanelResizer } from '../runs/PanelResizer.tsx';
import { RunPanel } from '../runs/RunPanel.tsx';
import { RunsList } from '../runs/RunsList.tsx';
import { useAppStore } from '../store/index.ts';
import type { BottomTab } from '../store/uiSlice.ts';
import { CodePane } from './CodePane.tsx';
import { OutputPane } from './OutputPane.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';

export function BottomPanel() {
  const { t } = useTranslation();
  const tab = useAppStore((s) => s.bottomTab);
  const open = useAppStore((s) => s.bottomOpen);
  const showBottom = useAppStore((s) => s.showBottom);
  const toggleBottom = useAppStore((s) => s.toggleBottom);
  const errors = useAppStore((s) => s.problems.filter((p) => p.severity === 'error').length);
  const warnings = useAppStore((s) => s.problems.filter((p) => p.severity === 'warning').length);
  const height = useAppStore((s) => s.panelHeight);
  const section = useRef<HTMLElement>(null);
  const tabs: { id: BottomTab; label: string }[] = [
    { id: 'problems', label: t('problems.title') },
    { id: 'output', label: t('output.title') },
    { id: 'code', label: t('code.title') },
    { id: 'run', label: t('runs.panel.tab') },
    { id: 'runs', label: t('runs.list.tab') },
  ];
  return (
    <section ref={section} className={`bottom-panel ${open ? 'open' : 'closed'}`} aria-label={t('panel.bottom')} style={open && height ? { height } : undefined}>
      {open && <PanelResizer panel={() => section.current} />}
      <div className="tabs" role="tablist">
        {tabs.map((tb) => (
          <button
            key={tb.id}
            type="button"
            role="tab"
            aria-selected={open && tab === tb.id}
            className={open && tab === tb.id ? 'active' : ''}
            onClick={() => (open && tab === tb.id ? toggleBottom() : showBottom(tb.id))}
          >
            {tb.label}
            {tb.id === 'problems' && (errors > 0 || warnings > 0) && (
              <span className={`count ${errors > 0 ? 'error' : 'warning'}`} aria-label={`${t('problems.errors', { count: errors })}, ${t('problems.warnings', { count: warnings })}`}>
                {errors > 0 ? errors : warnings}
              </span>
            )}
          </button>
        ))}
        <span className="spacer" />
        <button type="button" className="icon-button" aria-label={open ? t('panel.collapse') : t('panel.expand')} onClick={toggleBottom}>
          {open ? '▾' : '▴'}
        </button>
      </div>
      {open && (
        <div className="tab-body" role="tabpanel">
          {tab === 'problems' && <ProblemsPanel />}
          {tab === 'output' && <OutputPane />}
          {tab === 'code' && <CodePane />}
          {tab === 'run' && <RunPanel />}
          {tab === 'runs' && <RunsList />}
        </div>
      )}
    </section>
  );
}
