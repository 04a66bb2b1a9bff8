/** The CLI's KFP connection options (run, schedule, schedules): how to reach KFP and prove who you are. */
import { KFP_AUTH_MODES, kfpServiceProblems } from '../../shared/runs/kfpConnection.ts';
import type { KfpAuthMode, KfpServiceSettings } from '../../shared/runs/kfpConnection.ts';
import type { KfpEndpointRequest } from '../../shared/runs/types.ts';
import type { OptionSpec } from './types.ts';

export const KFP_CONNECTION_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'kfp-url': { type: 'string', description: 'kfp: reach the KFP API at this URL (the Kubeflow ingress, e.g. https://kubeflow.example.com/pipeline, or the ml-pipeline service directly) instead of through the cluster\'s service proxy', valueName: 'URL' },
  'kfp-auth': {
    type: 'string',
    description: 'kfp: how to prove who you are: proxy (the kubeconfig through the service proxy; single-user KFP; default without --kfp-url), session (your Kubeflow login at --kfp-url; default with it), service-account (a token requested for --kfp-service-account with audience pipelines.kubeflow.org, sent to --kfp-url)',
    choices: KFP_AUTH_MODES,
    valueName: KFP_AUTH_MODES.join('|'),
  },
  'kfp-token-env': { type: 'string', description: 'kfp session: the environment variable holding your bearer token (an OIDC/Dex ID token) for --kfp-url; the token itself is never stored', valueName: 'VAR' },
  'kfp-cookie-env': { type: 'string', description: 'kfp session: the environment variable holding your authservice_session cookie (its value, or NAME=VALUE) for --kfp-url; never stored', valueName: 'VAR' },
  'kfp-service-account': { type: 'string', description: 'kfp service-account: the ServiceAccount in --namespace whose token is requested (default default-editor)', valueName: 'NAME' },
  'kfp-service': { type: 'string', description: 'kfp proxy: the KFP API service (default: the app\'s setting, else ml-pipeline)', valueName: 'NAME' },
  'kfp-service-namespace': { type: 'string', description: 'kfp proxy: the namespace of the KFP API service (default: the app\'s setting, else kubeflow)', valueName: 'NS' },
  'kfp-port': { type: 'string', description: 'kfp proxy: the service port, a number or a name (default 8888; the TLS overlay serves https on port tls)', valueName: 'PORT' },
  'kfp-scheme': { type: 'string', description: 'kfp proxy: http or https (the TLS overlay: https)', choices: ['http', 'https'], valueName: 'http|https' },
};

type Options = Readonly<Record<string, unknown>>;

/**
 * The KFP connection the options ask for, checked: every named variable set, service fields well
 * formed, the URL present where the mode needs it. Errors name the option.
 */
export function kfpConnectionFromOptions(o: Options, env: Readonly<Record<string, string | undefined>>): { request: Omit<KfpEndpointRequest, 'context' | 'namespace'>; errors: string[] } {
  const errors: string[] = [];
  const str = (name: string) => (typeof o[name] === 'string' && o[name] !== '' ? (o[name] as string) : undefined);
  const url = str('kfp-url');
  const auth = str('kfp-auth') as KfpAuthMode | undefined;
  const mode = auth ?? (url ? 'session' : 'proxy');
  if (url && !/^https?:\/\/[^\s/]+/i.test(url)) errors.push(`--kfp-url ${url}: not an http:// or https:// URL`);
  if (mode !== 'proxy' && !url) errors.push(`--kfp-auth ${mode} needs --kfp-url (where Kubeflow Pipelines answers)`);
  if (mode === 'proxy' && url) errors.push('--kfp-auth proxy goes through the cluster\'s service proxy: leave out --kfp-url, or choose --kfp-auth session or service-account');
  const tokenEnv = str('kfp-token-env');
  const cookieEnv = str('kfp-cookie-env');
  for (const [flag, name] of [['--kfp-token-env', tokenEnv], ['--kfp-cookie-env', cookieEnv]] as const) {
    if (name && !env[name]) errors.push(`${flag} ${name}: that environment variable is not set (or empty)`);
    if (name && mode !== 'session') errors.push(`${flag} is for --kfp-auth session (the connection is ${mode})`);
  }
  if (str('kfp-service-account') && mode !== 'service-account') errors.push(`--kfp-service-account is for --kfp-auth service-account (the connection is ${mode})`);
  const service: Partial<KfpServiceSettings> = {};
  for (const [flag, key] of [['kfp-service', 'name'], ['kfp-service-namespace', 'namespace'], ['kfp-port', 'port'], ['kfp-scheme', 'scheme']] as const) {
    const value = str(flag);
    if (value !== undefined) (service as Record<string, string>)[key] = value;
  }
  for (const [key, problem] of Object.entries(kfpServiceProblems(service))) {
    const flag = { name: 'kfp-service', namespace: 'kfp-service-namespace', port: 'kfp-port', scheme: 'kfp-scheme' }[key as keyof KfpServiceSettings];
    errors.push(`--${flag}: ${problem}`);
  }
  if (Object.keys(service).length > 0 && mode !== 'proxy') errors.push(`--kfp-service, --kfp-service-namespace, --kfp-port and --kfp-scheme are for the service proxy (the connection is ${mode}: put the address in --kfp-url)`);
  const request: Omit<KfpEndpointRequest, 'context' | 'namespace'> = {
    ...(url ? { kfpUrl: url } : {}),
    ...(auth ? { kfpAuth: auth } : {}),
    ...(tokenEnv && env[tokenEnv] ? { kfpToken: env[tokenEnv], kfpTokenEnv: tokenEnv } : {}),
    ...(cookieEnv ? { kfpCookieEnv: cookieEnv } : {}),
    ...(str('kfp-service-account') ? { kfpServiceAccount: str('kfp-service-account') } : {}),
    ...(Object.keys(service).length ? { kfpService: service } : {}),
  };
  return { request, errors };
}
