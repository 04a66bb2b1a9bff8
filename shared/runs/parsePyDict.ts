/**
 * The numeric entries of a Python dict repr, as Hugging Face's Trainer prints its logs:
 * `{'loss': 2.31, 'grad_norm': 1.2, 'learning_rate': 1e-05, 'epoch': 0.12}`.
 * Handles `nan`/`inf`, numbers printed as strings (`'loss': '2.31'`) and `tensor(1.2, device='cuda:0')`.
 */

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const TENSOR = /^tensor\(\s*([^,)]+)/;

function skipSpace(s: string, i: number): number {
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

/** A Python scalar literal as a number; undefined for booleans, None, text and containers. */
export function pyNumber(raw: string): number | undefined {
  const first = raw.charCodeAt(0);
  if (first === 39 || first === 34) return raw.length >= 2 && raw[raw.length - 1] === raw[0] ? pyNumber(raw.slice(1, -1).trim()) : undefined;
  if (NUMBER.test(raw)) return Number(raw);
  switch (raw.toLowerCase()) {
    case 'nan':
    case '-nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
  }
  const tensor = TENSOR.exec(raw);
  return tensor ? pyNumber(tensor[1].trim()) : undefined;
}

/**
 * Parse `text` (already trimmed; starts with `{'`) as a flat dict. Returns its numeric values,
 * or undefined when it is not a well-formed dict or holds no number.
 */
export function parsePyDict(text: string): Record<string, number> | undefined {
  const s = text;
  const values: Record<string, number> = {};
  let count = 0;
  let i = 1;
  for (;;) {
    i = skipSpace(s, i);
    const quote = s[i];
    if (quote === '}' && count === 0) {
      i++;
      break;
    }
    if (quote !== "'" && quote !== '"') return undefined;
    const keyEnd = s.indexOf(quote, i + 1);
    if (keyEnd < 0) return undefined;
    const key = s.slice(i + 1, keyEnd);
    i = skipSpace(s, keyEnd + 1);
    if (s[i] !== ':') return undefined;
    const valueStart = ++i;
    let depth = 0;
    while (i < s.length) {
      const c = s[i];
      if (c === "'" || c === '"') {
        const end = s.indexOf(c, i + 1);
        if (end < 0) return undefined;
        i = end + 1;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
      i++;
    }
    const value = pyNumber(s.slice(valueStart, i).trim());
    if (value !== undefined) {
      values[key] = value;
      count++;
    }
    if (s[i] === ',') {
      i++;
      continue;
    }
    if (s[i] !== '}') return undefined;
    i++;
    break;
  }
  if (skipSpace(s, i) !== s.length || count === 0) return undefined;
  return values;
}
