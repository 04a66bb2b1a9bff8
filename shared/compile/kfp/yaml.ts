/**
 * YAML text for KFP: read the same by YAML 1.1 parsers (the KFP SDK's PyYAML, sigs.k8s.io/yaml for the
 * platform document) and YAML 1.2 parsers (the backend's gopkg.in/yaml.v3).
 */
import { Document, visit } from 'yaml';
import type { ScalarTag } from 'yaml';
import { CompileError } from '../plan.ts';

/** A number the IR types as a double (NUMBER_DOUBLE, cpuLimit, backoffFactor): always written with a dot. */
export class KfpDouble {
  constructor(readonly value: number) {}
}

/**
 * `1e-7` is a string to YAML 1.1 (it wants a dot and a signed exponent), so doubles are written as
 * `1.0e-7`, `1.0e+21`, `2.0`, which every YAML version reads as the same float.
 */
export function formatDouble(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '.nan' : n < 0 ? '-.inf' : '.inf';
  const text = Object.is(n, -0) ? '-0' : String(n);
  const [mantissa, exponent] = text.split('e');
  const withDot = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  if (exponent === undefined) return withDot;
  return `${withDot}e${exponent.startsWith('-') ? exponent : `+${exponent}`}`;
}

const doubleTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  identify: (value) => value instanceof KfpDouble,
  resolve: (text) => Number.parseFloat(text),
  stringify: (item) => formatDouble((item.value as KfpDouble).value),
};

/**
 * Strings a plain scalar would turn into something else under either YAML version: numbers in any
 * notation (`0o17` is an integer only to YAML 1.2), versions, and YAML 1.1's `=` and `<<` keys.
 */
const AMBIGUOUS_STRING = /^(?:[-+.]?[0-9.]|=$|<<)/;

/**
 * Characters that YAML 1.1 reads as line breaks (NEL, LS, PS) or refuses raw (DEL, C1 controls, BOM,
 * non-characters), which `yaml` writes raw even inside double quotes: such strings are double-quoted and
 * the characters escaped afterwards, which is only valid there.
 */
const RAW_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;
const RAW_UNSAFE_ALL = new RegExp(RAW_UNSAFE.source, 'g');
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function toYaml(value: object): string {
  const doc = new Document(value, { version: '1.1', customTags: [doubleTag], aliasDuplicateObjects: false });
  let escapes = false;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      if (LONE_SURROGATE.test(node.value)) {
        throw new CompileError(`the text ${JSON.stringify(node.value.slice(0, 40))} is not valid Unicode (it holds a lone surrogate)`);
      }
      if (RAW_UNSAFE.test(node.value)) {
        node.type = 'QUOTE_DOUBLE';
        escapes = true;
      } else if (AMBIGUOUS_STRING.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  const text = doc.toString({ lineWidth: 0, indentSeq: false });
  return escapes ? text.replace(RAW_UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

/** Several YAML documents in one text, separated by `---`, as the KFP SDK writes a pipeline and its platform spec. */
export function stringifyKfpDocuments(header: string, documents: readonly object[]): string {
  return header + documents.map(toYaml).join('---\n');
}
