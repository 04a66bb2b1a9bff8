/** Argo's `depends` logic (`A && (B.Failed || C.Skipped)`) and simple `when` conditions. */

type Token = { kind: 'op'; value: '&&' | '||' | '!' | '(' | ')' } | { kind: 'term'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(&&|\|\||!(?!=)|\(|\)|[^\s()&|!]+(?:\s*!=\s*[^\s()&|]+)?)/y;
  let m: RegExpExecArray | null;
  let index = 0;
  while (index < text.length && (m = re.exec(text))) {
    index = re.lastIndex;
    const v = m[1];
    if (v === '&&' || v === '||' || v === '!' || v === '(' || v === ')') tokens.push({ kind: 'op', value: v });
    else tokens.push({ kind: 'term', value: v });
  }
  if (text.slice(index).trim()) throw new Error(`cannot parse expression "${text}"`);
  return tokens;
}

/** Evaluates `||`, `&&`, `!` and parentheses over terms judged by `term`. */
function evaluate(text: string, term: (t: string) => boolean): boolean {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const orExpr = (): boolean => {
    let v = andExpr();
    while (peek()?.value === '||') {
      pos++;
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  const andExpr = (): boolean => {
    let v = unary();
    while (peek()?.value === '&&') {
      pos++;
      const r = unary();
      v = v && r;
    }
    return v;
  };
  const unary = (): boolean => {
    const t = tokens[pos++];
    if (!t) throw new Error(`unexpected end of expression "${text}"`);
    if (t.kind === 'op' && t.value === '!') return !unary();
    if (t.kind === 'op' && t.value === '(') {
      const v = orExpr();
      if (tokens[pos++]?.value !== ')') throw new Error(`missing ")" in "${text}"`);
      return v;
    }
    if (t.kind === 'term') return term(t.value);
    throw new Error(`unexpected "${t.value}" in "${text}"`);
  };
  const result = orExpr();
  if (pos !== tokens.length) throw new Error(`unexpected "${tokens[pos].value}" in "${text}"`);
  return result;
}

export type TaskPhase = 'Succeeded' | 'Failed' | 'Error' | 'Skipped' | 'Omitted' | 'Running' | 'Pending';

/** Task names a `depends` expression mentions. */
export function dependsTasks(expression: string): string[] {
  return tokenize(expression)
    .filter((t) => t.kind === 'term')
    .map((t) => t.value.split('.')[0]);
}

export function evaluateDepends(expression: string, phaseOf: (task: string) => TaskPhase | undefined): boolean {
  return evaluate(expression, (t) => {
    const [task, result] = t.split('.');
    const phase = phaseOf(task);
    switch (result) {
      case undefined:
        return phase === 'Succeeded' || phase === 'Skipped';
      case 'Succeeded':
      case 'Skipped':
      case 'Omitted':
      case 'Failed':
        return phase === result;
      case 'Errored':
        return phase === 'Error';
      case 'Daemoned':
        return false;
      case 'AnySucceeded':
        return phase === 'Succeeded';
      case 'AllFailed':
        return phase === 'Failed' || phase === 'Error';
      default:
        throw new Error(`unknown task result "${result}" in depends "${expression}"`);
    }
  });
}

/** A `when` after parameter substitution: `a == b`, `a != b`, `true`, `false`, joined by `&&`/`||`. */
export function evaluateWhen(expression: string): boolean {
  return evaluate(expression.replace(/\s*(==|!=)\s*/g, '$1'), (t) => {
    const unquote = (s: string) => s.replace(/^["']|["']$/g, '');
    const ne = t.split('!=');
    if (ne.length === 2) return unquote(ne[0]) !== unquote(ne[1]);
    const eq = t.split('==');
    if (eq.length === 2) return unquote(eq[0]) === unquote(eq[1]);
    return unquote(t) !== 'false';
  });
}

export interface LastRetry {
  status: string;
  exitCode: string;
  message: string;
}

/** `retryStrategy.expression` over `lastRetry.status`, `.exitCode`, `.message`: `==`, `!=`, `in [...]`, `!`, `&&`, `||`. */
export function evaluateRetryExpression(expression: string, last: LastRetry): boolean {
  const normalized = expression
    .replace(/\s+in\s+\[([^\]]*)\]/g, (_m, list: string) => `\u2208[${list.replace(/\s+/g, '')}]`)
    .replace(/\s*(==|!=)\s*/g, '$1');
  const read = (ref: string) => {
    const field = ref.replace(/^lastRetry\./, '') as keyof LastRetry;
    return last[field] ?? '';
  };
  const unquote = (s: string) => s.replace(/^["']|["']$/g, '');
  return evaluate(normalized, (t) => {
    const inList = /^(.+)\u2208\[(.*)\]$/.exec(t);
    if (inList) return inList[2].split(',').map(unquote).includes(read(inList[1]));
    const ne = t.split('!=');
    if (ne.length === 2) return read(ne[0]) !== unquote(ne[1]);
    const eq = t.split('==');
    if (eq.length === 2) return read(eq[0]) === unquote(eq[1]);
    return unquote(t) === 'true';
  });
}
