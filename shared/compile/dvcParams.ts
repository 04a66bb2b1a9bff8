/** params.yaml text: JSON that YAML 1.2 (DVC) and YAML 1.1 (PyYAML in the step scripts) read identically. */
import { formatYamlNumber, quoteYamlString } from './emitYaml.ts';

function write(value: unknown, indent: string, out: string[]): void {
  if (typeof value === 'string') out.push(quoteYamlString(value));
  else if (typeof value === 'number') out.push(formatYamlNumber(value));
  else if (typeof value === 'boolean') out.push(String(value));
  else if (value === null || value === undefined) out.push('null');
  else if (Array.isArray(value)) {
    // Lists of scalars stay on one line: `["q_proj", "v_proj"]`.
    out.push('[');
    value.forEach((v, i) => {
      if (i > 0) out.push(', ');
      write(v, indent, out);
    });
    out.push(']');
  } else {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) {
      out.push('{}');
      return;
    }
    const inner = `${indent}  `;
    out.push('{\n');
    entries.forEach(([k, v], i) => {
      out.push(`${inner}${quoteYamlString(k)}: `);
      write(v, inner, out);
      out.push(i < entries.length - 1 ? ',\n' : '\n');
    });
    out.push(`${indent}}`);
  }
}

export function paramsJson(value: Record<string, unknown>): string {
  const out: string[] = [];
  write(value, '', out);
  out.push('\n');
  return out.join('');
}
