/** Compiled KFP / Argo / DVC files, live (debounced), read-only, with copy and Export…. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompiledFiles } from '../../shared/compile/types.ts';
import { exportCompiled } from '../files/fileActions.ts';
import { LazyMonaco } from '../monaco/LazyMonaco.tsx';
import type { CompileOutcome } from '../services/compile.ts';
import { compileDocument, orderedFileNames } from '../services/compile.ts';
import { useAppStore } from '../store/index.ts';
import type { OutputTarget } from '../store/uiSlice.ts';
import { useResolvedTheme } from '../theme.ts';

export const OUTPUT_DEBOUNCE_MS = 250;
const TARGETS: { id: OutputTarget; label: string }[] = [
  { id: 'kfp', label: 'KFP' },
  { id: 'argo', label: 'Argo' },
  { id: 'dvc', label: 'DVC' },
];

/** The text the pane shows right now (for the status of tests and the copy button). */
let shownText = '';
export function currentOutputText(): string {
  return shownText;
}

function languageOf(name: string): 'yaml' | 'python' | 'plaintext' {
  if (name.endsWith('.py')) return 'python';
  if (name.endsWith('.yaml') || name.endsWith('.yml') || name.endsWith('.json')) return 'yaml';
  return 'plaintext';
}

export function OutputPane() {
  const { t } = useTranslation();
  const doc = useAppStore((s) => s.doc);
  const target = useAppStore((s) => s.outputTarget);
  const setTarget = useAppStore((s) => s.setOutputTarget);
  const dark = useResolvedTheme() === 'dark';
  const [outcome, setOutcome] = useState<CompileOutcome | null>(null);
  const [file, setFile] = useState<string | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => setOutcome(compileDocument(doc, target)), outcome === null ? 0 : OUTPUT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // Recompile on document or target change only; the first compile is immediate.
  }, [doc, target]);

  const files: CompiledFiles = outcome?.ok ? outcome.files : {};
  const names = orderedFileNames(files, target);
  const current = file && names.includes(file) ? file : names[0];
  const text = current ? files[current] : '';
  useEffect(() => {
    shownText = outcome?.ok ? text : '';
  }, [outcome, text]);

  return (
    <div className="output-pane">
      <div className="subtabs" role="tablist" aria-label={t('output.targets')}>
        {TARGETS.map((tg) => (
          <button key={tg.id} role="tab" type="button" aria-selected={tg.id === target} className={tg.id === target ? 'active' : ''} onClick={() => setTarget(tg.id)}>
            {tg.label}
          </button>
        ))}
        {names.length > 1 && (
          <select className="file-select" aria-label={t('output.file')} value={current} onChange={(e) => setFile(e.target.value)}>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        )}
        {names.length === 1 && <span className="file-name">{current}</span>}
        <span className="spacer" />
        <button type="button" className="button small" disabled={!text} onClick={() => void navigator.clipboard?.writeText(text).catch(() => undefined)}>
          {t('output.copy')}
        </button>
        <button type="button" className="button small" onClick={() => void exportCompiled()}>
          {t('output.export')}
        </button>
      </div>
      <div className="output-body" data-testid="output-body" data-target={target}>
        {outcome && !outcome.ok ? (
          <div className="output-error" role="status">
            <strong>{t('output.cannotCompile')}</strong>
            <p>{outcome.message}</p>
          </div>
        ) : (
          <LazyMonaco value={text} language={languageOf(current ?? '')} readOnly dark={dark} ariaLabel={t('output.editorLabel', { target: target.toUpperCase() })} path={`output/${target}/${current ?? 'none'}`} />
        )}
      </div>
    </div>
  );
}
