/** Form controls for the inspector: each commits to the document as one undo step per edit. */
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../../shared/pipeline/types.ts';
import { formatNumber, parseNumberInput } from '../format.ts';
import { useLang } from '../i18n/index.ts';
import { problemText } from '../i18n/problems.ts';
import { appStore } from '../store/index.ts';
import { draftTextOf, revertOnEscape, useFieldDraft } from './useFieldDraft.ts';

interface ShellProps {
  id: string;
  label: string;
  hint?: string;
  problems?: readonly Problem[];
  /** A message found before the value reaches the document (e.g. "not a number"). */
  localError?: string | null;
  /** Under a local error: what the document still holds, and that Esc puts it back. */
  draftNote?: string;
  overridden?: boolean;
  onReset?: () => void;
  children: ReactNode;
  inline?: boolean;
}

export function FieldShell({ id, label, hint, problems = [], localError, draftNote, overridden, onReset, children, inline }: ShellProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const messages = localError ? [{ severity: 'error' as const, message: localError }] : problems.map((p) => ({ severity: p.severity, message: problemText(p, lang) }));
  const worst = messages.some((m) => m.severity === 'error') ? 'error' : messages.length > 0 ? 'warning' : '';
  return (
    <div className={`field ${inline ? 'inline' : ''} ${worst ? `has-${worst}` : ''}`}>
      <div className="field-top">
        <label htmlFor={id}>{label}</label>
        {overridden && onReset && (
          <button type="button" className="link small" onClick={onReset} title={t('inspector.resetTitle')}>
            {t('inspector.reset')}
          </button>
        )}
      </div>
      {children}
      {messages.map((m, i) => (
        <div key={i} className={`field-message ${m.severity}`} role={m.severity === 'error' ? 'alert' : 'status'} id={i === 0 ? `${id}-message` : undefined}>
          {m.message}
        </div>
      ))}
      {localError && draftNote && <div className="field-hint draft-note">{draftNote}</div>}
      {hint && messages.length === 0 && <div className="field-hint">{hint}</div>}
    </div>
  );
}

function endGesture(): void {
  appStore.getState().markGesture();
}

interface TextProps {
  id: string;
  label: string;
  value: string;
  placeholder?: string;
  /** Commits live (pending) while typing; the edit becomes one undo step on blur. */
  onCommit(value: string): void;
  validate?(value: string): string | null;
  hint?: string;
  problems?: readonly Problem[];
  overridden?: boolean;
  onReset?: () => void;
  list?: string;
  multiline?: boolean;
}

/** Text that `validate` refuses is not saved: it stays in the field as a draft (listed in Problems) until fixed or Esc. */
export function TextField({ id, label, value, placeholder, onCommit, validate, hint, problems, overridden, onReset, list, multiline }: TextProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => draftTextOf(id) ?? value);
  const refused = (v: string) => (validate && v !== '' ? validate(v) : null);
  // The document changed under the field: show it, unless the field holds a draft the user has not given up.
  useEffect(() => setText((current) => (refused(current) ? current : value)), [value]);
  const localError = refused(text);
  const draft = { domId: id, label, text, error: localError, saved: value };
  useFieldDraft(draft);
  // Refused text that became acceptable through another edit (a clashing name renamed) is saved, not left differing unseen.
  const wasRefused = useRef(false);
  useEffect(() => {
    if (wasRefused.current && !localError && text !== value) onCommit(text);
    wasRefused.current = Boolean(localError);
  }, [localError]); // the transition alone, not each keystroke
  const props = {
    id,
    value: text,
    placeholder,
    'aria-invalid': Boolean(localError || problems?.some((p) => p.severity === 'error')),
    'aria-describedby': `${id}-message`,
    onChange: (e: { target: { value: string } }) => {
      setText(e.target.value);
      if (!refused(e.target.value)) onCommit(e.target.value);
    },
    onKeyDown: (e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      if (revertOnEscape(e, draft)) setText(value);
    },
    onBlur: endGesture,
  };
  const reset = onReset && (() => {
    setText(value);
    onReset();
  });
  const note = t(value === '' ? 'drafts.inlineEmpty' : 'drafts.inline', { saved: value });
  return (
    <FieldShell id={id} label={label} hint={hint} problems={problems} localError={localError} draftNote={note} overridden={overridden} onReset={reset}>
      {multiline ? <textarea rows={3} {...props} /> : <input type="text" spellCheck={false} list={list} {...props} />}
    </FieldShell>
  );
}

interface NumberProps {
  id: string;
  label: string;
  value: number | undefined;
  integer?: boolean;
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
  placeholder?: string;
  onCommit(value: number | undefined): void;
  problems?: readonly Problem[];
  overridden?: boolean;
  onReset?: () => void;
}

/** A text box that accepts decimals and scientific notation (1e-5); invalid text never reaches the document. */
export function NumberField({ id, label, value, integer, min, max, step, unit, placeholder, onCommit, problems, overridden, onReset }: NumberProps) {
  const { t } = useTranslation();
  const shown = value === undefined ? '' : formatNumber(value);
  const [text, setText] = useState(() => draftTextOf(id) ?? shown);
  const refused = (v: string): string | null => {
    const n = parseNumberInput(v);
    if (v.trim() !== '' && n === null) return t('inspector.notANumber', { text: v });
    if (integer && n !== null && !Number.isInteger(n)) return t('inspector.notAnInteger');
    return null;
  };
  // The document changed under the field: show it, unless the field holds a draft the user has not given up.
  useEffect(() => {
    setText((current) => (refused(current) || parseNumberInput(current) === value ? current : shown));
  }, [value, shown]);
  const parsed = parseNumberInput(text);
  const localError = refused(text);
  const saved = shown === '' ? (placeholder ?? '') : shown;
  const draft = { domId: id, label, text, error: localError, saved };
  useFieldDraft(draft);
  const range = [min !== undefined ? `≥ ${formatNumber(min)}` : '', max !== undefined ? `≤ ${formatNumber(max)}` : ''].filter(Boolean).join(', ');
  const hint = [range, unit, step !== undefined ? t('inspector.step', { step: formatNumber(step) }) : ''].filter(Boolean).join(' · ');
  const nudge = (direction: 1 | -1) => {
    const base = parsed ?? value ?? 0;
    const by = step ?? 1;
    const next = Number((base + direction * by).toPrecision(12));
    setText(formatNumber(next));
    onCommit(next);
    endGesture();
  };
  const reset = onReset && (() => {
    setText(shown);
    onReset();
  });
  const note = t(saved === '' ? 'drafts.inlineEmpty' : 'drafts.inline', { saved });
  return (
    <FieldShell id={id} label={label} hint={hint} problems={problems} localError={localError} draftNote={note} overridden={overridden} onReset={reset}>
      <div className="number-input">
        <input
          id={id}
          type="text"
          inputMode="decimal"
          spellCheck={false}
          value={text}
          placeholder={placeholder}
          aria-invalid={Boolean(localError || problems?.some((p) => p.severity === 'error'))}
          aria-describedby={`${id}-message`}
          onChange={(e) => {
            setText(e.target.value);
            const n = parseNumberInput(e.target.value);
            if (n !== null && (!integer || Number.isInteger(n))) onCommit(n);
          }}
          onKeyDown={(e) => {
            if (revertOnEscape(e, draft)) setText(shown);
            else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
              e.preventDefault();
              nudge(e.key === 'ArrowUp' ? 1 : -1);
            } else if (e.key === 'Enter') endGesture();
          }}
          onBlur={() => {
            // An emptied field means "use the default".
            if (text.trim() === '' && value !== undefined) onCommit(undefined);
            endGesture();
          }}
        />
        {unit && <span className="unit">{unit}</span>}
      </div>
    </FieldShell>
  );
}

interface SelectProps {
  id: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onCommit(value: string): void;
  problems?: readonly Problem[];
  hint?: string;
  overridden?: boolean;
  onReset?: () => void;
}

export function SelectField({ id, label, value, options, onCommit, problems, hint, overridden, onReset }: SelectProps) {
  const known = options.some((o) => o.value === value);
  return (
    <FieldShell id={id} label={label} hint={hint} problems={problems} overridden={overridden} onReset={onReset}>
      <select id={id} value={value} onChange={(e) => onCommit(e.target.value)} aria-describedby={`${id}-message`}>
        {!known && <option value={value}>{value}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function CheckboxField({ id, label, checked, onCommit, problems, hint }: { id: string; label: string; checked: boolean; onCommit(value: boolean): void; problems?: readonly Problem[]; hint?: string }) {
  return (
    <FieldShell id={id} label={label} problems={problems} hint={hint} inline>
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onCommit(e.target.checked)} />
    </FieldShell>
  );
}
