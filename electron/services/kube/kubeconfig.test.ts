/** Which kubeconfig is used (settings, KUBECONFIG, ~/.kube/config, none) and how a list merges, as kubectl merges it. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterError } from './errors.ts';
import { NO_KUBECONFIG, describeKubeconfigFile, kubeconfigSources, listContexts, loadKubeConfig } from './kubeconfig.ts';

function kubeconfig(dir: string, name: string, contexts: { name: string; server: string; namespace?: string }[], current?: string): string {
  const file = path.join(dir, name);
  const lines = ['apiVersion: v1', 'kind: Config', ...(current ? [`current-context: ${current}`] : []), 'clusters:'];
  for (const c of contexts) lines.push(`- name: ${c.name}`, '  cluster:', `    server: ${c.server}`);
  lines.push('users:');
  for (const c of contexts) lines.push(`- name: ${c.name}`, '  user: { token: t }');
  lines.push('contexts:');
  for (const c of contexts) lines.push(`- name: ${c.name}`, '  context:', `    cluster: ${c.name}`, `    user: ${c.name}`, ...(c.namespace ? [`    namespace: ${c.namespace}`] : []));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const dirs = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-kc-'));
  const home = path.join(dir, 'home');
  mkdirSync(home);
  return { dir, home };
};

describe('kubeconfig sources', () => {
  it('no KUBECONFIG and no ~/.kube/config: a plain message, never the library\'s made-up loaded-context', () => {
    const { home } = dirs();
    expect(kubeconfigSources({}, {}, home)).toEqual({ origin: 'none', files: [] });
    let error: unknown;
    try {
      loadKubeConfig({}, {}, home);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClusterError);
    expect((error as Error).message).toBe(NO_KUBECONFIG);
    expect(NO_KUBECONFIG).toMatch(/^No kubeconfig found \(KUBECONFIG, ~\/\.kube\/config\)\. Add .* Settings › Clusters.*local emulator/);
  });

  it('~/.kube/config when KUBECONFIG is unset; KUBECONFIG before it; the settings\' files before both', () => {
    const { dir, home } = dirs();
    mkdirSync(path.join(home, '.kube'));
    const homeFile = kubeconfig(path.join(home, '.kube'), 'config', [{ name: 'home', server: 'https://home:6443' }], 'home');
    const envFile = kubeconfig(dir, 'env', [{ name: 'env', server: 'https://env:6443' }], 'env');
    const chosen = kubeconfig(dir, 'chosen', [{ name: 'chosen', server: 'https://chosen:6443' }], 'chosen');
    expect(kubeconfigSources({}, {}, home)).toEqual({ origin: 'home', files: [homeFile] });
    expect(kubeconfigSources({}, { KUBECONFIG: envFile }, home)).toEqual({ origin: 'KUBECONFIG', files: [envFile] });
    expect(kubeconfigSources({ files: [chosen] }, { KUBECONFIG: envFile }, home)).toEqual({ origin: 'settings', files: [chosen] });
    expect(loadKubeConfig({ KUBECONFIG: envFile }, { files: [chosen] }, home).getCurrentContext()).toBe('chosen');
    expect(loadKubeConfig({}, {}, home).getCurrentContext()).toBe('home');
  });

  it('merges a list as kubectl does: first file wins per name, current-context from the first file that sets one, missing files skipped', () => {
    const { dir, home } = dirs();
    const a = kubeconfig(dir, 'a', [{ name: 'shared', server: 'https://from-a:6443' }]);
    const b = kubeconfig(dir, 'b', [{ name: 'shared', server: 'https://from-b:6443' }, { name: 'staging', server: 'https://staging:6443', namespace: 'ml' }], 'staging');
    const c = kubeconfig(dir, 'c', [{ name: 'prod', server: 'https://prod:6443' }], 'prod');
    const kc = loadKubeConfig({}, { files: [a, path.join(dir, 'missing'), b, c] }, home);
    expect(kc.getCurrentContext()).toBe('staging');
    const contexts = listContexts(kc);
    expect(contexts.map((x) => [x.name, x.server, x.current])).toEqual([
      ['shared', 'https://from-a:6443', false],
      ['staging', 'https://staging:6443', true],
      ['prod', 'https://prod:6443', false],
    ]);
    expect(contexts[1]!.namespace).toBe('ml');
    // Reordered: the other file's entry wins.
    expect(listContexts(loadKubeConfig({}, { files: [c, b, a] }, home)).find((x) => x.name === 'shared')!.server).toBe('https://from-b:6443');
    expect(loadKubeConfig({}, { files: [c, b, a] }, home).getCurrentContext()).toBe('prod');
  });

  it('the chosen context replaces the files\' current-context while it exists', () => {
    const { dir, home } = dirs();
    const b = kubeconfig(dir, 'b', [{ name: 'dev', server: 'https://dev:6443' }, { name: 'staging', server: 'https://staging:6443' }], 'staging');
    expect(loadKubeConfig({}, { files: [b], context: 'dev' }, home).getCurrentContext()).toBe('dev');
    expect(loadKubeConfig({}, { files: [b], context: 'gone' }, home).getCurrentContext()).toBe('staging');
  });

  it('a list where no file exists, and a file that is not a kubeconfig, are named', () => {
    const { dir, home } = dirs();
    expect(() => loadKubeConfig({}, { files: [path.join(dir, 'nope')] }, home)).toThrow(/^None of the kubeconfig files exists \(.*nope\)\. Add your cluster's kubeconfig/);
    const junk = path.join(dir, 'junk');
    writeFileSync(junk, 'clusters: [{ cluster: {} }]\n');
    expect(() => loadKubeConfig({}, { files: [junk] }, home)).toThrow(`Could not read the kubeconfig ${junk}: clusters[0].name is missing`);
    expect(describeKubeconfigFile(junk)).toEqual({ path: junk, exists: true, contexts: [], error: `Could not read the kubeconfig ${junk}: clusters[0].name is missing` });
    expect(describeKubeconfigFile(path.join(dir, 'nope'))).toEqual({ path: path.join(dir, 'nope'), exists: false, contexts: [] });
  });
});

describe('a file offered as a kubeconfig', () => {
  it('is refused with a reason that never quotes the file, and a folder or a non-kubeconfig is named as such', () => {
    const { dir } = dirs();
    const broken = path.join(dir, 'broken');
    writeFileSync(broken, 'token: s3cr3t-value [unclosed\nclusters: [\n');
    const info = describeKubeconfigFile(broken);
    expect(info.error).toMatch(new RegExp(`^Could not read the kubeconfig ${broken}: `));
    expect(info.error).not.toContain('s3cr3t');
    const passwd = path.join(dir, 'passwd');
    writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/bash\n');
    expect(describeKubeconfigFile(passwd).error).toBe(`Could not read the kubeconfig ${passwd}: it defines no clusters, users or contexts (is it a kubeconfig?)`);
    expect(describeKubeconfigFile(dir).error).toBe(`Could not read the kubeconfig ${dir}: it is a folder, not a file`);
  });
});
