/** Fresh ids that follow the document's id rule (lowercase letters, digits, '-'). */

export function slugifyId(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return (slug || 'node').slice(0, 50);
}

/** `base` when free, else `base-2`, `base-3`, ... */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  const root = slugifyId(base);
  if (!taken.has(root)) return root;
  const stem = root.replace(/-\d+$/, '');
  for (let i = 2; ; i++) {
    const candidate = `${stem}-${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** `e1`, `e2`, ...: the next edge id not in use. */
export function nextEdgeId(taken: ReadonlySet<string>): string {
  let max = 0;
  for (const id of taken) {
    const m = /^e(\d+)$/.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  for (let i = max + 1; ; i++) if (!taken.has(`e${i}`)) return `e${i}`;
}
