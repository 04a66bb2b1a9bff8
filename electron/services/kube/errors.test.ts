/**
 * Every @kubernetes/client-node failure text the cluster code can meet, turned into a plain message.
 * Where the failure can be made here it is made for real (the library's own throw, a real socket);
 * the rest use the library's exact words (node_modules/@kubernetes/client-node/dist).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, User } from '@kubernetes/client-node';
import { ClusterError, kubeconfigError, networkError } from './errors.ts';
import { kubeRequest } from './request.ts';

function kubeConfig(cluster: Partial<Cluster> & { server: string }, user: Partial<User> = {}): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'lab', skipTLSVerify: false, ...cluster }],
    users: [{ name: 'me', ...user }],
    contexts: [{ name: 'lab', cluster: 'lab', user: 'me' }],
    currentContext: 'lab',
  });
  return kc;
}

async function failure(kc: KubeConfig): Promise<ClusterError> {
  try {
    await kubeRequest(kc, { path: '/version', timeoutMs: 5000 });
  } catch (error) {
    expect(error).toBeInstanceOf(ClusterError);
    return error as ClusterError;
  }
  throw new Error('the request succeeded');
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('client-node failures made for real', () => {
  it('plain http:// without insecure-skip-tls-verify', async () => {
    const error = await failure(kubeConfig({ server: 'http://127.0.0.1:1' }));
    expect(error.message).not.toMatch(/skipTLSVerify/);
    expect(error.message).toMatch(/^The cluster "lab" is served over plain http:\/\/ \(http:\/\/127\.0\.0\.1:1\).*insecure-skip-tls-verify: true/);
    expect(error.retryable).toBe(false);
  });

  it('connection refused', async () => {
    const error = await failure(kubeConfig({ server: 'http://127.0.0.1:1', skipTLSVerify: true }));
    expect(error.message).toMatch(/^Cannot reach the cluster at 127\.0\.0\.1:1 \(ECONNREFUSED\): nothing is listening there\. Is the cluster .*running/);
    expect(error.kind).toBe('unreachable');
  });

  it('an exec credential plugin that is not installed', async () => {
    const error = await failure(kubeConfig({ server: 'https://127.0.0.1:1' }, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'pipewright-no-such-auth-plugin', args: [] } }));
    expect(error.message).toMatch(/^The kubeconfig user "me" logs in by running "pipewright-no-such-auth-plugin", which is not installed here/);
    expect(error.kind).toBe('unauthorized');
  });

  it('an exec plugin that fails prints its stderr', async () => {
    const error = await failure(kubeConfig({ server: 'https://127.0.0.1:1' }, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'sh', args: ['-c', 'echo "error: token expired, run gcloud auth login" >&2; exit 1'] } }));
    expect(error.message).toBe('Logging in as kubeconfig user "me" failed: error: token expired, run gcloud auth login. Run the command in the kubeconfig\'s exec section in a terminal to see why.');
  });

  it('a certificate-authority file that is not there', async () => {
    const error = await failure(kubeConfig({ server: 'https://127.0.0.1:1', caFile: '/nonexistent/pipewright/ca.crt' }));
    expect(error.message).toMatch(/^A file the kubeconfig names could not be read: \/nonexistent\/pipewright\/ca\.crt \(ENOENT\)/);
  });

  it('a self-signed server certificate', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    server = createHttpsServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const error = await failure(kubeConfig({ server: `https://127.0.0.1:${(server.address() as AddressInfo).port}` }));
    expect(error.message).toMatch(/\(DEPTH_ZERO_SELF_SIGNED_CERT\): its TLS certificate is not trusted \(self-signed or signed by an unknown authority\)\. Put the cluster's CA in the kubeconfig/);
    expect(error.retryable).toBe(false);
  });
});

describe('client-node failure texts', () => {
  const net = (code: string, message = `connect ${code}`) => Object.assign(new Error(message), { code });
  const cases: [string, () => ClusterError, RegExp][] = [
    ['ENOTFOUND', () => networkError(net('ENOTFOUND', 'getaddrinfo ENOTFOUND k8s.corp.example'), 'k8s.corp.example:6443'), /^Cannot reach the cluster at k8s\.corp\.example:6443 \(ENOTFOUND\): the name k8s\.corp\.example could not be found \(DNS\)/],
    ['EAI_AGAIN', () => networkError(net('EAI_AGAIN'), 'k8s.corp.example:6443'), /could not be found \(DNS\)\. Check the server address/],
    ['fetch cause ECONNREFUSED', () => networkError(Object.assign(new Error('fetch failed'), { cause: net('ECONNREFUSED') }), '10.0.0.1:8888'), /^Cannot reach the cluster at 10\.0\.0\.1:8888 \(ECONNREFUSED\): nothing is listening there/],
    ['SELF_SIGNED_CERT_IN_CHAIN', () => networkError(net('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), 'h:443'), /its TLS certificate is not trusted/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', () => networkError(net('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), 'h:443'), /its TLS certificate is not trusted/],
    ['CERT_HAS_EXPIRED', () => networkError(net('CERT_HAS_EXPIRED', 'certificate has expired'), 'h:443'), /its TLS certificate has expired/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', () => networkError(net('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), 'h:443'), /not valid for the name h\. Use the server address/],
    ['ETIMEDOUT', () => networkError(net('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:443'), '10.0.0.1:443'), /^Cannot reach the cluster at 10\.0\.0\.1:443 \(ETIMEDOUT\): connect ETIMEDOUT 10\.0\.0\.1:443\. It may be down or your network\/VPN disconnected\.$/],
    ['No command was specified for exec authProvider!', () => kubeconfigError(new Error('No command was specified for exec authProvider!'), { user: 'me', login: true }), /^The kubeconfig user "me" has an exec login section without a command/],
    ['Token is expired!', () => kubeconfigError(new Error('Token is expired!'), { user: 'gke' }), /^The login token of kubeconfig user "gke" has expired and could not be refreshed\. Log in again/],
    ['Failed to refresh token', () => kubeconfigError(new Error('Failed to refresh token: Error: Command failed: gcloud config config-helper'), { user: 'gke' }), /could not be refreshed: Error: Command failed: gcloud config config-helper\. Log in again/],
    ['No currently active cluster', () => kubeconfigError(new Error('No currently active cluster')), /^The kubeconfig has no current cluster: choose a context/],
    ['No active cluster!', () => kubeconfigError(new Error('No active cluster!')), /^The kubeconfig has no current cluster/],
    ['clusters[0].cluster.server is missing', () => kubeconfigError(new Error('clusters[0].cluster.server is missing')), /^The kubeconfig is not valid: clusters\[0\]\.cluster\.server is missing\.$/],
    ['Duplicate context', () => kubeconfigError(new Error('Duplicate context: prod')), /^The kubeconfig is not valid: Duplicate context: prod\.$/],
    ['exec plugin with empty stderr', () => kubeconfigError(new Error(''), { user: 'me', login: true }), /failed: its login command failed without saying why/],
  ];
  it.each(cases)('%s', (_name, make, expected) => {
    const error = make();
    expect(error).toBeInstanceOf(ClusterError);
    expect(error.message).toMatch(expected);
  });

  it('keeps a ClusterError as it is', () => {
    const original = new ClusterError('forbidden', 'x', false);
    expect(kubeconfigError(original)).toBe(original);
  });
});
