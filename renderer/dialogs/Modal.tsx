/** A modal dialog: labelled, Escape closes, focus moves in on open and back out on close. */
import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { appStore } from '../store/index.ts';

interface Props {
  title: string;
  children: ReactNode;
  footer?: ReactNode;
  onClose?: () => void;
  wide?: boolean;
  tone?: 'default' | 'danger';
}

export function Modal({ title, children, footer, onClose, wide, tone = 'default' }: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const close = onClose ?? (() => appStore.getState().closeDialog());
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    // The first field if there is one, else the main button; the close button only as a last resort.
    const body = box.current?.querySelector('.modal-body');
    const first =
      body?.querySelector<HTMLElement>('[autofocus], input:not([type="radio"]):checked, input, select, textarea') ??
      box.current?.querySelector<HTMLElement>('.modal-foot button.primary, .modal-foot button, button');
    first?.focus();
    return () => previous?.focus?.();
  }, []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        ref={box}
        className={`modal ${wide ? 'wide' : ''} tone-${tone}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            close();
          }
        }}
      >
        <header className="modal-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-button" aria-label={t('common.close')} onClick={close}>
            ×
          </button>
        </header>
        <div className="modal-body">{children}</div>
        {footer && <footer className="modal-foot">{footer}</footer>}
      </div>
    </div>
  );
}
