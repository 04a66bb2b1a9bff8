/**
 * YAML text for KFP through the compilers' shared emitter, which YAML 1.1 parsers (the KFP SDK's PyYAML,
 * sigs.k8s.io/yaml for the platform document) and YAML 1.2 parsers (the backend's gopkg.in/yaml.v3) read
 * alike: numbers such as `1.0e-7` stay numbers, strings such as `yes` or `0o17` stay strings.
 */
import { emitYamlParts } from '../emitYaml.ts';
import type { YamlValue } from '../emitYaml.ts';

export type { YamlValue };
export type YamlMap = { [key: string]: YamlValue | undefined };

/** Several YAML documents in one text, separated by `---`, as the KFP SDK writes a pipeline and its platform spec. */
export function stringifyKfpDocuments(header: string, documents: readonly YamlMap[]): string {
  const parts = [header];
  documents.forEach((d, i) => {
    if (i > 0) parts.push('---\n');
    for (const part of emitYamlParts(d)) parts.push(part);
  });
  return parts.join('');
}
