/** The top bar: document title with the dirty marker, and the main actions. */
import { useTranslation } from 'react-i18next';
import { findAction } from '../commands/actions.ts';
import { displayChord } from '../commands/keys.ts';
import { canRedo, canUndo } from '../document/history.ts';
import { isDirty } from '../store/documentSlice.ts';
import { useAppStore } from '../store/index.ts';
import { Icon } from './Icon.tsx';
import { RecentMenu } from './RecentMenu.tsx';

function ToolButton({ action, icon, text, primary, disabled }: { action: string; icon: string; text?: boolean; primary?: boolean; disabled?: boolean }) {
  const { t } = useTranslation();
  const a = findAction(action);
  if (!a) return null;
  const label = t(a.label);
  const title = a.kbd[0] ? `${label} (${displayChord(a.kbd[0])})` : label;
  return (
    <button type="button" className={`tool-button ${primary ? 'primary' : ''} ${text ? 'with-text' : ''}`} title={title} aria-label={label} disabled={disabled} onClick={() => void a.run()} data-action={a.id}>
      <Icon name={icon} />
      {/* The "…" of a menu label draws as a row of dots in Korean fonts: a button does without it. */}
      {text && <span>{label.replace(/…$/, '')}</span>}
    </button>
  );
}

export function Toolbar() {
  const { t } = useTranslation();
  const name = useAppStore((s) => s.doc.name);
  const path = useAppStore((s) => s.filePath);
  const dirty = useAppStore(isDirty);
  const undoable = useAppStore((s) => canUndo(s.history, s.doc));
  const redoable = useAppStore((s) => canRedo(s.history, s.doc));
  const errors = useAppStore((s) => s.problems.some((p) => p.severity === 'error'));
  return (
    <header className="toolbar">
      <div className="brand" aria-hidden="true">
        <span className="brand-mark" />
        Pipewright
      </div>
      <div className="doc-title" title={path ?? t('files.notSaved')} data-dirty={dirty}>
        <span className="doc-name">{name}</span>
        {dirty && (
          <span className="dirty-dot" role="img" aria-label={t('files.unsaved')} title={t('files.unsaved')}>
            ●
          </span>
        )}
      </div>
      <nav className="tool-group" aria-label={t('toolbar.file')}>
        <ToolButton action="file.new" icon="new" />
        <ToolButton action="file.open" icon="open" />
        <RecentMenu />
        <ToolButton action="file.save" icon="save" />
      </nav>
      <nav className="tool-group" aria-label={t('toolbar.edit')}>
        <ToolButton action="edit.undo" icon="undo" disabled={!undoable} />
        <ToolButton action="edit.redo" icon="redo" disabled={!redoable} />
      </nav>
      <nav className="tool-group" aria-label={t('toolbar.view')}>
        <ToolButton action="view.autoLayout" icon="layout" />
        <ToolButton action="view.fitView" icon="fit" />
      </nav>
      <span className="spacer" />
      <nav className="tool-group" aria-label={t('toolbar.run')}>
        <ToolButton action="file.export" icon="export" text />
        <ToolButton action="file.exportMonitoring" icon="monitoring" />
        <ToolButton action="run.schedules" icon="schedule" />
        <ToolButton action="run.start" icon="run" text primary />
      </nav>
      {errors && <span className="sr-only">{t('toolbar.blockedHint')}</span>}
      <nav className="tool-group" aria-label={t('toolbar.app')}>
        <ToolButton action="view.settings" icon="settings" />
        <ToolButton action="help.shortcuts" icon="help" />
      </nav>
    </header>
  );
}
