/** The run dialog's form: what it starts from (the pipeline's last choice), what blocks Run, the request it sends. */
import type { RunContextChoice } from '../../shared/api/settings.ts';
import type { KubeContextInfo } from '../../shared/api/runs.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { RunTarget, StartRunRequest } from '../../shared/runs/types.ts';

export interface RunForm {
  target: RunTarget;
  context: string;
  namespace: string;
  /** KFP only: reach the API at `kfpUrl` with `kfpToken` instead of the service proxy. */
  kfpDirect: boolean;
  kfpUrl: string;
  kfpToken: string;
  /** KFP at a URL: the user's login (`session`) or a service account token; the variables' names, never their values. */
  kfpAuth: 'session' | 'service-account';
  kfpTokenEnv: string;
  kfpCookieEnv: string;
  kfpServiceAccount: string;
  /** KFP: the experiment (empty: Default); one that does not exist is created when the run starts. */
  experiment: string;
}

/** An i18n key under `runs.dialog` and its values. */
export interface FormIssue {
  key: string;
  values?: Record<string, string | number>;
}

/** A Kubernetes namespace: an RFC 1123 label. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The KFP connection part of a request: URL, mode, and the secrets by reference (the pasted token only in memory). */
export function kfpConnectionRequest(form: RunForm): Pick<StartRunRequest, 'kfpUrl' | 'kfpToken' | 'kfpAuth' | 'kfpTokenEnv' | 'kfpCookieEnv' | 'kfpServiceAccount'> {
  if (!form.kfpDirect) return {};
  const out: ReturnType<typeof kfpConnectionRequest> = { kfpUrl: form.kfpUrl.trim(), kfpAuth: form.kfpAuth };
  if (form.kfpAuth === 'service-account') {
    if (form.kfpServiceAccount.trim()) out.kfpServiceAccount = form.kfpServiceAccount.trim();
    return out;
  }
  if (form.kfpToken) out.kfpToken = form.kfpToken;
  else if (form.kfpTokenEnv.trim()) out.kfpTokenEnv = form.kfpTokenEnv.trim();
  if (form.kfpCookieEnv.trim()) out.kfpCookieEnv = form.kfpCookieEnv.trim();
  return out;
}

export function isNamespace(value: string): boolean {
  return value.length <= 63 && NAMESPACE.test(value);
}

/**
 * The pipeline's own namespace setting comes first (the remembered one may have been the kubeconfig's
 * `default`, filled in before the pipeline had a setting), then the last one used, then the context's.
 */
export function initialForm(doc: PipelineDocument, remembered: RunContextChoice | undefined): RunForm {
  return {
    target: remembered?.target ?? 'local',
    context: remembered?.context ?? '',
    namespace: doc.settings?.namespace?.trim() || remembered?.namespace || '',
    kfpDirect: false,
    kfpUrl: '',
    kfpToken: '',
    kfpAuth: 'session',
    kfpTokenEnv: '',
    kfpCookieEnv: '',
    kfpServiceAccount: '',
    experiment: '',
  };
}

/** Once contexts are known: keep a remembered context that still exists, else the current one; its namespace when none was chosen. */
export function withContexts(form: RunForm, contexts: readonly KubeContextInfo[]): RunForm {
  const kept = contexts.find((c) => c.name === form.context);
  const chosen = kept ?? contexts.find((c) => c.current) ?? contexts[0];
  if (!chosen) return { ...form, context: '' };
  return { ...form, context: chosen.name, namespace: form.namespace || chosen.namespace || 'default' };
}

export interface FormContext {
  /** null while contexts are being read. */
  contexts: readonly KubeContextInfo[] | null;
  pipelineErrors: number;
}

export function formIssues(form: RunForm, ctx: FormContext): FormIssue[] {
  const issues: FormIssue[] = [];
  if (ctx.pipelineErrors > 0) issues.push({ key: 'pipelineErrors', values: { count: ctx.pipelineErrors } });
  if (form.target === 'local') return issues;
  if (ctx.contexts && ctx.contexts.length === 0) issues.push({ key: 'noContexts' });
  else if (ctx.contexts && !form.context) issues.push({ key: 'noContext' });
  const ns = form.namespace.trim();
  if (!ns) issues.push({ key: 'namespaceEmpty' });
  else if (!isNamespace(ns)) issues.push({ key: 'namespaceInvalid', values: { value: ns } });
  if (form.target === 'kfp' && form.kfpDirect && !/^https?:\/\/[^\s/]+/i.test(form.kfpUrl.trim())) issues.push({ key: 'kfpUrlInvalid' });
  if (form.target === 'kfp' && form.kfpDirect && form.kfpAuth === 'session') {
    for (const value of [form.kfpTokenEnv.trim(), form.kfpCookieEnv.trim()]) if (value && !ENV_NAME.test(value)) issues.push({ key: 'kfpEnvInvalid', values: { value } });
  }
  return issues;
}

export function runRequest(form: RunForm, document: PipelineDocument): StartRunRequest {
  if (form.target === 'local') return { document, target: 'local' };
  const request: StartRunRequest = { document, target: form.target, context: form.context, namespace: form.namespace.trim() };
  if (form.target === 'kfp' && form.kfpDirect) {
    Object.assign(request, kfpConnectionRequest(form));
  }
  if (form.target === 'kfp' && form.experiment.trim() !== '') request.experiment = form.experiment.trim();
  return request;
}

/** What is remembered for the pipeline (never the URL's token). */
export function rememberedChoice(form: RunForm): Omit<RunContextChoice, 'usedAt'> {
  return form.target === 'local' ? { target: 'local' } : { target: form.target, context: form.context, namespace: form.namespace.trim() };
}
