/**
 * The run dialog's cluster pre-flight: runs `runPreflight` for the chosen cluster target, context and
 * namespace (again when they change, or on "Check again"), lists each finding with its node and fix,
 * and tells the dialog whether Run is blocked: an error blocks unless the user ticks "Run anyway".
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PreflightCheckRequest, PreflightResult } from '../../shared/api/preflight.ts';
import type { RunTarget } from '../../shared/runs/types.ts';
import { api } from '../api/client.ts';
import { useAppStore } from '../store/index.ts';
import './preflight.css';
import { apiErrorText } from '../clusters/kubeconfigPrograms.tsx';

export interface RunPreflightProps {
  target: RunTarget;
  context: string;
  namespace: string;
  /** kfp: the connection the run will use (the run dialog's kfpConnectionRequest): pre-flight checks that endpoint. */
  kfp?: Omit<PreflightCheckRequest, 'document' | 'target' | 'context' | 'namespace'>;
  onBlockedChange(blocked: boolean): void;
}

type State = { kind: 'idle' } | { kind: 'checking' } | { kind: 'done'; result: PreflightResult } | { kind: 'failed'; message: string };

const DEBOUNCE_MS = 400;

export function RunPreflight({ target, context, namespace, kfp, onBlockedChange }: RunPreflightProps) {
  const { t } = useTranslation();
  const doc = useAppStore((s) => s.doc);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [override, setOverride] = useState(false);
  const [round, setRound] = useState(0);
  const kfpKey = target === 'kfp' ? JSON.stringify(kfp ?? {}) : '';
  // A Kubeflow URL is checked once it is a whole URL (not at each key press while it is typed).
  const direct = target === 'kfp' && (kfp?.kfpUrl !== undefined || (kfp?.kfpAuth !== undefined && kfp.kfpAuth !== 'proxy'));
  const urlReady = !direct || /^https?:\/\/[^\s/]+/i.test(kfp?.kfpUrl ?? '');
  const active = target !== 'local' && context !== '' && urlReady;

  useEffect(() => {
    if (target === 'local' || !active) {
      setState({ kind: 'idle' });
      return;
    }
    let live = true;
    setState({ kind: 'checking' });
    const timer = setTimeout(() => {
      const connection = kfpKey ? (JSON.parse(kfpKey) as RunPreflightProps['kfp']) : {};
      api.runPreflight({ document: doc, target, context, ...(namespace ? { namespace } : {}), ...connection }).then(
        (result) => live && setState({ kind: 'done', result }),
        (e: unknown) => live && setState({ kind: 'failed', message: apiErrorText(t, e) }),
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // The document is read when the check starts; edits are not possible while the dialog is open.
  }, [active, target, context, namespace, kfpKey, round]);

  const errors = state.kind === 'done' ? state.result.findings.filter((f) => f.severity === 'error').length : 0;
  const blocked = active && (state.kind === 'checking' || (errors > 0 && !override));
  useEffect(() => onBlockedChange(blocked), [blocked, onBlockedChange]);

  if (target === 'local') return null;
  if (!active) return urlReady ? null : <p className="muted small preflight-note">{t('preflight.waitingForUrl')}</p>;
  const checked = state.kind === 'done' ? state.result.kfpEndpoint : undefined;
  return (
    <section className="preflight" data-testid="preflight" aria-busy={state.kind === 'checking'}>
      <header className="preflight-head">
        <strong>{t('preflight.title')}</strong>
        <button type="button" className="button small" data-testid="preflight-recheck" disabled={state.kind === 'checking'} onClick={() => setRound((r) => r + 1)}>
          {t('preflight.recheck')}
        </button>
      </header>
      {state.kind === 'checking' && <p className="muted small">{t('preflight.checking')}</p>}
      {checked && state.kind === 'done' && (
        <p className="muted small" data-testid="preflight-kfp-endpoint">
          {t(`preflight.kfpChecked.${checked.via}`, checked.via === 'proxy' ? { service: checked.service, namespace: checked.namespace } : { url: checked.url })}
          {state.result.kfpMultiUser !== undefined && ` · ${state.result.kfpMultiUser ? t('preflight.multiUser', { namespace: state.result.namespace }) : t('preflight.singleUser')}`}
        </p>
      )}
      {state.kind === 'failed' && <p className="error-text">{t('preflight.failed', { message: state.message })}</p>}
      {state.kind === 'done' && state.result.findings.length === 0 && <p className="preflight-clean">✓ {t('preflight.clean', { namespace: state.result.namespace })}</p>}
      {state.kind === 'done' && state.result.findings.length > 0 && (
        <>
          <p className="small">{t('preflight.summary', { errors, warnings: state.result.findings.length - errors, namespace: state.result.namespace })}</p>
          <ul className="preflight-findings">
            {state.result.findings.map((f, i) => (
              <li key={`${f.code}-${f.node ?? ''}-${i}`} className={`preflight-finding ${f.severity}`} data-code={f.code} data-severity={f.severity}>
                <div className="preflight-finding-head">
                  <span className={`preflight-badge ${f.severity}`}>{t(`preflight.severity.${f.severity}`)}</span>
                  <strong>{t(`preflight.code.${f.code}`)}</strong>
                  {f.node && <span className="muted small">{t('preflight.node', { node: f.node })}</span>}
                </div>
                <p className="preflight-message">{f.message}</p>
                <p className="preflight-fix small">
                  <span className="muted">{t('preflight.fix')}</span> {f.fix}
                </p>
              </li>
            ))}
          </ul>
          {errors > 0 && (
            <>
              <label className="preflight-override">
                <input type="checkbox" data-testid="preflight-override" checked={override} onChange={(e) => setOverride(e.target.checked)} />
                {t('preflight.override')}
              </label>
              {!override && <p className="small preflight-blocked">{t('preflight.blocked')}</p>}
            </>
          )}
        </>
      )}
    </section>
  );
}
