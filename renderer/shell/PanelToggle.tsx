/** Hide/show buttons for the side panels (in the panel's header, or on the rail left when it is hidden), and focus mode's way out. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { findAction } from '../commands/actions.ts';
import { displayChord } from '../commands/keys.ts';
import { fitViewSoon } from '../canvas/canvasControls.ts';
import { appStore, useAppStore } from '../store/index.ts';

type Which = 'palette' | 'inspector';

/** "Label (Ctrl+B)": the tooltip names the key that does the same. */
export function withShortcut(label: string, actionId: string): string {
  const kbd = findAction(actionId)?.kbd[0];
  return kbd ? `${label} (${displayChord(kbd)})` : label;
}

const ACTION: Record<Which, string> = { palette: 'view.togglePalette', inspector: 'view.toggleInspector' };

/** The button in an open panel's header that hides it. Arrows point the way the panel goes. */
export function PanelHideButton({ which }: { which: Which }) {
  const { t } = useTranslation();
  const label = t(which === 'palette' ? 'ux.panels.hidePalette' : 'ux.panels.hideInspector');
  return (
    <button
      type="button"
      className="icon-button panel-toggle"
      data-panel-toggle={which}
      aria-label={label}
      title={withShortcut(label, ACTION[which])}
      onClick={() => (which === 'palette' ? appStore.getState().togglePalette() : appStore.getState().toggleInspector())}
    >
      {which === 'palette' ? '«' : '»'}
    </button>
  );
}

/** What is left of a hidden panel: a narrow rail with the button that shows it again. */
export function PanelRail({ which }: { which: Which }) {
  const { t } = useTranslation();
  const label = t(which === 'palette' ? 'ux.panels.showPalette' : 'ux.panels.showInspector');
  const title = t(which === 'palette' ? 'palette.title' : 'inspector.title');
  return (
    <aside className={`panel-rail rail-${which}`} aria-label={title}>
      <button
        type="button"
        className="panel-rail-button"
        data-panel-toggle={which}
        aria-label={label}
        title={withShortcut(label, ACTION[which])}
        onClick={() => (which === 'palette' ? appStore.getState().togglePalette() : appStore.getState().toggleInspector())}
      >
        <span aria-hidden="true">{which === 'palette' ? '»' : '«'}</span>
        <span className="panel-rail-title" aria-hidden="true">
          {title}
        </span>
      </button>
    </aside>
  );
}

/** Shown in focus mode over the canvas: says so and leaves it (as Esc and the focus key do). */
export function FocusModeChip() {
  const { t } = useTranslation();
  const on = useAppStore((s) => s.focusSaved !== null);
  useEffect(() => {
    if (!on) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || appStore.getState().dialog) return;
      if (appStore.getState().exitFocusMode()) fitViewSoon();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [on]);
  if (!on) return null;
  const label = t('ux.panels.exitFocus');
  return (
    <div className="focus-chip" role="status">
      <span>{t('ux.panels.focusOn')}</span>
      <button
        type="button"
        title={withShortcut(label, 'view.focusMode')}
        onClick={() => {
          appStore.getState().exitFocusMode();
          fitViewSoon();
        }}
      >
        {label} (Esc)
      </button>
    </div>
  );
}
