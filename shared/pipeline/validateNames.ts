/** Naming rules shared by the validator (and usable by forms): each returns why a value breaks it, or undefined. */

/** Pipeline names and node ids: they become Kubernetes names and task names in every target. */
export function nameRuleViolation(value: unknown): string | undefined {
  if (typeof value !== 'string') return `it must be text, not ${JSON.stringify(value) ?? 'nothing'}`;
  if (value === '') return 'it is empty';
  if (value.length > 63) return `it is ${value.length} characters long (at most 63)`;
  if (!/^[a-z]/.test(value)) return `it must start with a lowercase letter, not ${JSON.stringify(value[0])}`;
  const bad = /[^a-z0-9-]/.exec(value);
  if (bad) return `${JSON.stringify(bad[0])} is not allowed (use lowercase letters, digits and "-")`;
  if (value.endsWith('-')) return 'it must end with a letter or digit, not "-"';
  return undefined;
}

export function isDns1123Label(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value);
}

export function isDns1123Subdomain(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    value.length <= 253 &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)
  );
}

/** A Kubernetes label value (empty allowed by Kubernetes; callers decide). */
export function isLabelValue(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value);
}

/** A qualified name (`prefix/name` or `name`), as label keys and toleration keys are. */
export function isQualifiedName(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const parts = value.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && !isDns1123Subdomain(parts[0])) return false;
  return name.length > 0 && name.length <= 63 && /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name);
}

/** An extended resource (`nvidia.com/gpu`): domain-prefixed, outside kubernetes.io. */
export function isExtendedResourceName(value: unknown): boolean {
  if (typeof value !== 'string' || !value.includes('/') || value.includes('kubernetes.io/') || value.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${value}`);
}

/** A portable environment variable name. */
export function isEnvVarName(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value);
}

/** A key inside a Secret or ConfigMap. */
export function isSecretKey(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(value) && value !== '.' && value !== '..';
}

/** Port and parameter names of python nodes: they become `--<name>` and `--in-<name>` arguments. */
export function isArgumentName(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 63 && /^[a-z][a-z0-9_]*$/.test(value);
}

/** Edit distance, for "did you mean" hints on misspelt parameter names. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}
