/** Pure edits of the kubeconfig file list (order matters: kubectl's merge takes the first file's entry). */
export function moveFile(files: readonly string[], index: number, by: -1 | 1): string[] {
  const to = index + by;
  if (index < 0 || index >= files.length || to < 0 || to >= files.length) return [...files];
  const next = [...files];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}

export function removeFile(files: readonly string[], index: number): string[] {
  return files.filter((_, i) => i !== index);
}

/** `~/x` against the home folder; null when the path is not absolute (relative paths would depend on where the back end started). */
export function absolutePath(typed: string, homeDir: string, separator: '/' | '\\'): string | null {
  const path = typed.trim();
  if (path === '~') return homeDir.replace(/(.)[\\/]+$/, '$1');
  if (path.startsWith('~/') || path.startsWith('~\\')) return `${homeDir.replace(/[\\/]+$/, '')}${separator}${path.slice(2)}`;
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\')) return path;
  return null;
}
