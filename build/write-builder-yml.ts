/** Writes electron-builder.yml from the typed electron-builder.config.ts. Run: npx tsx build/write-builder-yml.ts */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { builderConfig } from '../electron-builder.config.ts';

export const BUILDER_YML_HEADER = '# Generated from electron-builder.config.ts by build/write-builder-yml.ts: edit that file, then rerun.\n';

export function renderBuilderYml(): string {
  return BUILDER_YML_HEADER + stringify(builderConfig, { lineWidth: 0 });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'electron-builder.yml'), renderBuilderYml());
}
