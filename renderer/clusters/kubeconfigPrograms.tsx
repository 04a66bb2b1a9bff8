/**
 * The back end's refusals about kubeconfig files that run programs (ApiError.reason `kubeconfig-programs`),
 * worded in the UI's language: what happened, each file with its command lines, and what to do.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { KubeconfigProgramsReason } from '../../shared/api/clusters.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { appStore, useAppStore } from '../store/index.ts';

export interface ProgramsContext {
  mode: 'desktop' | 'browser';
  /** Between files in KUBECONFIG (`:`, `;` on Windows). */
  delimiter: string;
}

export interface ProgramsWording {
  summary: string;
  files: { file: string; label: string; commands: string[] }[];
  fix: string;
}

export function kubeconfigProgramsReasonOf(error: unknown): KubeconfigProgramsReason | null {
  return error instanceof ApiError && error.reason?.kind === 'kubeconfig-programs' ? error.reason : null;
}

export function wordKubeconfigPrograms(t: TFunction, reason: KubeconfigProgramsReason, context: ProgramsContext): ProgramsWording {
  const many = reason.files.length > 1;
  const kind = `${reason.situation}${reason.declined ? 'Declined' : ''}` as 'add' | 'addDeclined' | 'changed' | 'changedDeclined';
  const summary = t(`clusters.programs.summary.${kind}${many ? 'Many' : ''}`, { count: reason.files.length });
  const files = reason.files.map((p) => ({
    file: p.file,
    label: p.unreadable ? t('clusters.programs.unreadable', { why: t(`clusters.programs.why.${p.unreadable}`) }) : t(reason.situation === 'changed' ? 'clusters.programs.newlyRuns' : 'clusters.programs.runs'),
    commands: p.commands,
  }));
  const fixKey = kind === 'changed' && context.mode === 'desktop' ? 'changedDesktop' : kind;
  const fix = t(`clusters.programs.fix.${fixKey}`, { files: reason.files.map((p) => p.file).join(context.delimiter) });
  return { summary, files, fix };
}

/** One string (for places that show an error as a line of text). */
export function kubeconfigProgramsText(t: TFunction, reason: KubeconfigProgramsReason, context: ProgramsContext): string {
  const w = wordKubeconfigPrograms(t, reason, context);
  return [w.summary, ...w.files.map((f) => `${f.file} ${f.label} ${f.commands.join('; ')}`.trim()), w.fix].join('\n');
}

function contextNow(): ProgramsContext {
  const session = appStore.getState().session;
  return { mode: session?.mode ?? 'browser', delimiter: session?.pathSeparator === '\\' ? ';' : ':' };
}

/** An error as the user reads it: a refusal the back end gave as data in the UI's language, else its message. */
export function apiErrorText(t: TFunction, error: unknown): string {
  const reason = kubeconfigProgramsReasonOf(error);
  if (reason) return kubeconfigProgramsText(t, reason, contextNow());
  return error instanceof Error ? error.message : String(error);
}

export function KubeconfigProgramsNotice({ reason }: { reason: KubeconfigProgramsReason }) {
  const { t } = useTranslation();
  const session = useAppStore((s) => s.session);
  const w = wordKubeconfigPrograms(t, reason, { mode: session?.mode ?? 'browser', delimiter: session?.pathSeparator === '\\' ? ';' : ':' });
  return (
    <div className="error-text kubeconfig-programs" role="alert" data-testid="kubeconfig-programs">
      <p>{w.summary}</p>
      <ul>
        {w.files.map((f) => (
          <li key={f.file}>
            <code className="kubeconfig-programs-file">{f.file}</code> {f.label}
            {f.commands.length > 0 && (
              <ul>
                {f.commands.map((c) => (
                  <li key={c}>
                    <code>{c}</code>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      <p>{w.fix}</p>
    </div>
  );
}
