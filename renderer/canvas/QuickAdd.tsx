/**
 * Quick add: double-click the empty canvas (or press Space over it) for a search box at that spot; Enter adds
 * the highlighted step there (the only one when one matches). English and Korean names both match, whatever
 * the UI language.
 */
import { useMemo, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { catalog } from '../../node-catalog/index.ts';
import type { NodeTypeSpec } from '../../shared/pipeline/catalog.ts';
import type { Position } from '../../shared/pipeline/types.ts';
import { addNodeOfType } from '../commands/editing.ts';
import { localize, useLang } from '../i18n/index.ts';

/** Steps whose type id, English or Korean title holds the query (case-insensitive); all of them for an empty one. */
export function matchSteps(query: string, specs: readonly NodeTypeSpec[] = [...catalog.types.values()]): NodeTypeSpec[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...specs];
  return specs.filter((s) => [s.type, s.title.en, s.title.ko].some((text) => text.toLowerCase().includes(q)));
}

export interface QuickAddAt {
  /** Where the box shows, in the canvas element's pixels. */
  screen: Position;
  /** Where the step goes, in flow coordinates. */
  flow: Position;
}

export function QuickAdd({ at, onClose }: { at: QuickAddAt; onClose(): void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const found = useMemo(() => matchSteps(query), [query]);
  const add = (spec: NodeTypeSpec | undefined) => {
    if (!spec) return;
    addNodeOfType(spec.type, { x: Math.round((at.flow.x - 110) / 10) * 10, y: Math.round((at.flow.y - 30) / 10) * 10 });
    onClose();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    // The box's keys are its own: Esc here closes it (not focus mode), arrows move in the list.
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => (found.length === 0 ? 0 : (i + (event.key === 'ArrowDown' ? 1 : found.length - 1)) % found.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      add(found[Math.min(active, found.length - 1)]);
    }
  };
  return (
    <div
      className="quick-add"
      role="dialog"
      aria-label={t('ux.quickAdd.label')}
      style={{ left: at.screen.x, top: at.screen.y }}
      onPointerDown={(e) => e.stopPropagation()}
      onDoubleClick={(e) => e.stopPropagation()}
    >
      <input
        type="search"
        autoFocus
        value={query}
        placeholder={t('ux.quickAdd.placeholder')}
        aria-label={t('ux.quickAdd.placeholder')}
        aria-controls="quick-add-list"
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={onClose}
      />
      <ul id="quick-add-list" role="listbox">
        {found.length === 0 && <li className="muted">{t('ux.quickAdd.none', { query: query.trim() })}</li>}
        {found.map((spec, i) => (
          <li
            key={spec.type}
            role="option"
            aria-selected={i === active}
            data-node-type={spec.type}
            className={`quick-add-item cat-${spec.category}${i === active ? ' active' : ''}`}
            onMouseDown={(e) => {
              e.preventDefault();
              add(spec);
            }}
          >
            <span className="palette-swatch" aria-hidden="true" />
            {localize(spec.title, lang)}
            <span className="quick-add-other">{lang === 'ko' ? spec.title.en : spec.title.ko}</span>
          </li>
        ))}
      </ul>
      <p className="quick-add-hint">{t('ux.quickAdd.hint')}</p>
    </div>
  );
}
