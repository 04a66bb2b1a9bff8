import { describe, expect, it } from 'vitest';
import { absolutePath, moveFile, removeFile } from './kubeconfigList.ts';

describe('kubeconfig list edits', () => {
  it('moves a file up and down, and not past either end', () => {
    expect(moveFile(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveFile(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveFile(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveFile(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
  it('removes one file', () => {
    expect(removeFile(['a', 'b', 'c'], 1)).toEqual(['a', 'c']);
  });
  it.each([
    ['~/.kube/staging', '/home/me/.kube/staging'],
    [' /etc/k8s/admin.conf ', '/etc/k8s/admin.conf'],
    ['~', '/home/me'],
    ['kube/config', null],
    ['./config', null],
  ])('%s → %s', (typed, expected) => {
    expect(absolutePath(typed, '/home/me/', '/')).toBe(expected);
  });
  it('Windows paths', () => {
    expect(absolutePath('C:\\Users\\me\\.kube\\config', 'C:\\Users\\me', '\\')).toBe('C:\\Users\\me\\.kube\\config');
    expect(absolutePath('~\\.kube\\dev', 'C:\\Users\\me', '\\')).toBe('C:\\Users\\me\\.kube\\dev');
  });
});
