/** Node types by category, searchable in both languages; drag onto the canvas, double-click or Enter to add. */
import { useMemo, useState } from 'react';
import type { DragEvent, KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { catalog } from '../../node-catalog/index.ts';
import type { NodeCategory, NodeTypeSpec } from '../../shared/pipeline/catalog.ts';
import { NODE_DRAG_TYPE } from '../canvas/Canvas.tsx';
import { nextPlacement } from '../canvas/canvasControls.ts';
import { addNodeOfType } from '../commands/editing.ts';
import { localize, useLang } from '../i18n/index.ts';
import { PanelHideButton } from '../shell/PanelToggle.tsx';
import { appStore } from '../store/index.ts';

const CATEGORIES: NodeCategory[] = ['data', 'training', 'evaluation', 'serving', 'custom'];

function matches(spec: NodeTypeSpec, query: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return [spec.type, spec.title.en, spec.title.ko, spec.help.en, spec.help.ko].some((s) => s.toLowerCase().includes(q));
}

export function Palette() {
  const { t } = useTranslation();
  const lang = useLang();
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const specs = [...catalog.types.values()].filter((s) => matches(s, query.trim()));
    return CATEGORIES.map((c) => ({ category: c, specs: specs.filter((s) => s.category === c) })).filter((g) => g.specs.length > 0);
  }, [query]);

  const add = (type: string) => addNodeOfType(type, nextPlacement(appStore.getState().doc.nodes.map((n) => n.position)));
  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(NODE_DRAG_TYPE, type);
    event.dataTransfer.effectAllowed = 'copy';
  };
  const onKeyDown = (event: KeyboardEvent, type: string) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      add(type);
    }
  };

  return (
    <aside className="palette" aria-label={t('palette.title')}>
      <div className="panel-header">
        {t('palette.title')}
        <PanelHideButton which="palette" />
      </div>
      <div className="palette-search">
        <input type="search" value={query} placeholder={t('palette.search')} aria-label={t('palette.search')} onChange={(e) => setQuery(e.target.value)} />
      </div>
      <div className="palette-list">
        {groups.length === 0 && <p className="muted small">{t('palette.noMatch')}</p>}
        {groups.map((g) => (
          <section key={g.category} className="palette-group">
            <h3>{t(`category.${g.category}`)}</h3>
            <ul role="list">
              {g.specs.map((spec) => (
                <li key={spec.type}>
                  <div
                    className={`palette-item cat-${spec.category}`}
                    role="button"
                    tabIndex={0}
                    draggable
                    data-node-type={spec.type}
                    title={localize(spec.help, lang)}
                    aria-label={localize(spec.title, lang)}
                    onDragStart={(e) => onDragStart(e, spec.type)}
                    onDoubleClick={() => add(spec.type)}
                    onKeyDown={(e) => onKeyDown(e, spec.type)}
                  >
                    <span className="palette-swatch" aria-hidden="true" />
                    <span className="palette-text">
                      <span className="palette-name">{localize(spec.title, lang)}</span>
                      <span className="palette-help">{localize(spec.help, lang)}</span>
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      <p className="palette-hint small muted">{t('palette.hint')}</p>
    </aside>
  );
}
