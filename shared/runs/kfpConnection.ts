/** How Pipewright reaches Kubeflow Pipelines: the service it proxies to, and the ways it proves who it is. */

/** `proxy`: the API server's service proxy (single-user KFP); `session`: the Kubeflow URL with the user's login; `service-account`: a TokenRequest token sent to the KFP endpoint. */
export type KfpAuthMode = 'proxy' | 'session' | 'service-account';

export const KFP_AUTH_MODES: readonly KfpAuthMode[] = ['proxy', 'session', 'service-account'];

/** KFP's API service as the service proxy reaches it (the TLS overlay serves https on port `tls`). */
export interface KfpServiceSettings {
  namespace: string;
  name: string;
  /** A port number or name (`8888`, `http`, `tls`). */
  port: string;
  scheme: 'http' | 'https';
}

export const DEFAULT_KFP_SERVICE: KfpServiceSettings = { namespace: 'kubeflow', name: 'ml-pipeline', port: '8888', scheme: 'http' };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** What is wrong with each field, by field name (empty: usable). */
export function kfpServiceProblems(s: Partial<KfpServiceSettings>): Partial<Record<keyof KfpServiceSettings, string>> {
  const out: Partial<Record<keyof KfpServiceSettings, string>> = {};
  if (s.namespace !== undefined && !(s.namespace.length <= 63 && DNS_LABEL.test(s.namespace))) out.namespace = `"${s.namespace}" is not a namespace name (lowercase letters, digits and '-')`;
  if (s.name !== undefined && !(s.name.length <= 63 && DNS_LABEL.test(s.name))) out.name = `"${s.name}" is not a service name (lowercase letters, digits and '-')`;
  if (s.port !== undefined) {
    const n = Number(s.port);
    const ok = /^\d+$/.test(s.port) ? n >= 1 && n <= 65535 : s.port.length <= 15 && PORT_NAME.test(s.port);
    if (!ok) out.port = `"${s.port}" is neither a port number (1-65535) nor a port name`;
  }
  if (s.scheme !== undefined && s.scheme !== 'http' && s.scheme !== 'https') out.scheme = `"${String(s.scheme)}" is not http or https`;
  return out;
}

export function kfpService(s: Partial<KfpServiceSettings> | undefined): KfpServiceSettings {
  return { ...DEFAULT_KFP_SERVICE, ...Object.fromEntries(Object.entries(s ?? {}).filter(([, v]) => v !== undefined && v !== '')) };
}

/** `/api/v1/namespaces/kubeflow/services/https:ml-pipeline:tls/proxy`: the scheme is named only when it is https, as kubectl does. */
export function kfpServiceProxyPath(s: KfpServiceSettings): string {
  const target = `${s.scheme === 'https' ? 'https:' : ''}${s.name}:${s.port}`;
  return `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/services/${target}/proxy`;
}
