/**
 * A task's `triggerPolicy.condition`, evaluated as KFP's driver does (backend/src/v2/expression: CEL over the
 * task's ExecutorInput, so `inputs.parameter_values['x']` is the resolved input parameter as a
 * google.protobuf.Value: a string, a double, a bool, a list or a struct). Only the forms the KFP SDK writes
 * for dsl.If / dsl.Elif / dsl.Else are understood: comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`) between a
 * parameter (optionally `int(...)` or `double(...)`, as the SDK wraps integer channels) and a literal or another
 * parameter, joined by `&&`, `||`, `!` and parentheses. Anything else is refused with an error rather than
 * guessed, and so is a comparison of values of different kinds (`'1' == 1`: KFP's cel-go evaluates `==` false
 * there, which hides a pipeline's mistake); a missing parameter is CEL's `no such key`; a result that is not a
 * bool is refused as the driver refuses it.
 */

type Value = { kind: 'string'; v: string } | { kind: 'int'; v: number } | { kind: 'double'; v: number } | { kind: 'bool'; v: boolean } | { kind: 'other'; v: unknown };

export class ConditionError extends Error {}

type Token = { t: 'str'; v: string } | { t: 'num'; v: number; int: boolean } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let v = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) {
          const e = text[j + 1];
          v += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else v += text[j++];
      }
      if (j >= text.length) throw new ConditionError(`unterminated string at column ${i + 1}`);
      out.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num && (c !== '-' || out.length === 0 || out[out.length - 1].t === 'op')) {
      out.push({ t: 'num', v: Number(num[0]), int: !num[1] && !num[2] });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|&&|\|\||[<>!()[\].])/.exec(text.slice(i));
    if (!op) throw new ConditionError(`unexpected ${JSON.stringify(c)} at column ${i + 1}`);
    out.push({ t: 'op', v: op[0] });
    i += op[0].length;
  }
  return out;
}

function fromJson(v: unknown): Value {
  if (typeof v === 'string') return { kind: 'string', v };
  // google.protobuf.Value holds every number as a double.
  if (typeof v === 'number') return { kind: 'double', v };
  if (typeof v === 'boolean') return { kind: 'bool', v };
  return { kind: 'other', v };
}

function show(v: Value): string {
  return v.kind === 'other' ? (Array.isArray(v.v) ? 'list' : v.v === null ? 'null_type' : 'map') : v.kind;
}

/** Evaluates `condition` with `parameterValues` (the task's resolved input parameters, JSON values). */
export function evaluateCondition(condition: string, parameterValues: Readonly<Record<string, unknown>>): boolean {
  const tokens = tokenize(condition);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => peek()?.t === 'op' && peek()!.v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new ConditionError(`expected "${v}"${peek() ? ` before ${JSON.stringify(String(peek()!.v))}` : ' at the end'}`);
    pos++;
  };
  const unsupported = (what: string) => new ConditionError(`${what} is not a form KFP's SDK writes for dsl.If; the emulated driver refuses it rather than guess`);

  const operand = (): Value => {
    const tok = peek();
    if (!tok) throw new ConditionError('the condition ends where a value was expected');
    if (tok.t === 'str') {
      pos++;
      return { kind: 'string', v: tok.v };
    }
    if (tok.t === 'num') {
      pos++;
      return tok.int ? { kind: 'int', v: tok.v } : { kind: 'double', v: tok.v };
    }
    if (tok.t === 'op' && tok.v === '(') {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    if (tok.t === 'id') {
      pos++;
      if (tok.v === 'true' || tok.v === 'false') return { kind: 'bool', v: tok.v === 'true' };
      if (tok.v === 'int' || tok.v === 'double') {
        expect('(');
        const arg = operand();
        expect(')');
        return convert(tok.v, arg);
      }
      if (tok.v === 'inputs') {
        expect('.');
        const field = peek();
        if (field?.t !== 'id' || field.v !== 'parameter_values') throw unsupported(`inputs.${String(field?.v ?? '')}`);
        pos++;
        expect('[');
        const key = peek();
        if (key?.t !== 'str') throw new ConditionError('inputs.parameter_values[...] takes a quoted parameter name');
        pos++;
        expect(']');
        if (!Object.hasOwn(parameterValues, key.v)) throw new ConditionError(`evaluation error: no such key: ${key.v}`);
        return fromJson(parameterValues[key.v]);
      }
      throw unsupported(`"${tok.v}"`);
    }
    throw unsupported(`"${tok.v}"`);
  };

  const convert = (to: 'int' | 'double', v: Value): Value => {
    if (v.kind === 'int' || v.kind === 'double') {
      if (to === 'int') {
        if (!Number.isFinite(v.v) || Math.abs(v.v) > 2 ** 63) throw new ConditionError(`evaluation error: int() range error: ${v.v}`);
        return { kind: 'int', v: Math.trunc(v.v) };
      }
      return { kind: 'double', v: v.v };
    }
    if (v.kind === 'string') {
      const ok = to === 'int' ? /^[+-]?\d+$/.test(v.v.trim()) : v.v.trim() !== '' && Number.isFinite(Number(v.v));
      if (!ok) throw new ConditionError(`evaluation error: ${to}(${JSON.stringify(v.v)}): not a valid ${to === 'int' ? 'integer' : 'number'}`);
      return { kind: to, v: to === 'int' ? parseInt(v.v, 10) : Number(v.v) };
    }
    throw new ConditionError(`evaluation error: found no matching overload for '${to}' applied to '(${show(v)})'`);
  };

  const compare = (): Value => {
    const left = operand();
    const tok = peek();
    if (tok?.t !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(tok.v)) return left;
    pos++;
    const right = operand();
    const numeric = (x: Value) => x.kind === 'int' || x.kind === 'double';
    const sameKind = left.kind === right.kind || (numeric(left) && numeric(right));
    if (!sameKind || left.kind === 'other') {
      // cel-go (v0.30 in KFP) answers ==/!= across kinds with false/true, and <, > with "no such overload"; either way the pipeline meant something else.
      const real = tok.v === '==' || tok.v === '!=' ? `KFP's driver would evaluate it ${tok.v === '!='}` : "KFP's driver fails on it too";
      throw new ConditionError(`comparison of values of different kinds: ${show(left)} ${tok.v} ${show(right)}: ${real}; the emulated driver refuses it (compare values of one kind, e.g. int(...) for a number parameter)`);
    }
    const a = left.v as string | number | boolean;
    const b = right.v as string | number | boolean;
    // CEL orders bools too (false < true), strings by code point, numbers by value.
    const result = { '==': a === b, '!=': a !== b, '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b }[tok.v]!;
    return { kind: 'bool', v: result };
  };

  const not = (): Value => {
    if (isOp('!')) {
      pos++;
      const v = not();
      if (v.kind !== 'bool') throw new ConditionError(`evaluation error: no such overload: !${show(v)}`);
      return { kind: 'bool', v: !v.v };
    }
    return compare();
  };
  const logical = (op: '&&' | '||', next: () => Value) => (): Value => {
    let left = next();
    while (isOp(op)) {
      pos++;
      const right = next();
      if (left.kind !== 'bool' || right.kind !== 'bool') throw new ConditionError(`evaluation error: no such overload: ${show(left)} ${op} ${show(right)}`);
      left = { kind: 'bool', v: op === '&&' ? left.v && right.v : left.v || right.v };
    }
    return left;
  };
  const and = logical('&&', not);
  const or = logical('||', and);

  const result = or();
  if (pos < tokens.length) throw new ConditionError(`unexpected ${JSON.stringify(String(tokens[pos].v))} after a complete expression`);
  if (result.kind !== 'bool') throw new ConditionError(`evaluation error: return type is not bool, got ${JSON.stringify(result.v)}`);
  return result.v;
}
