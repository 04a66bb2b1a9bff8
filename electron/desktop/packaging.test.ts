import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderBuilderYml } from '../../build/write-builder-yml.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const yml = read('electron-builder.yml');
const config = parse(yml) as Record<string, unknown> & { linux: { icon: string }; extraMetadata: { main: string } };

describe('packaging configuration', () => {
  it('electron-builder.yml is generated from the typed electron-builder.config.ts', () => {
    // On failure: npx tsx build/write-builder-yml.ts
    expect(yml).toBe(renderBuilderYml());
  });

  it("validates against electron-builder's own schema", () => {
    const schema = JSON.parse(read('node_modules/app-builder-lib/scheme.json')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('names the app, its targets and a main that the build produces', () => {
    const packageJson = JSON.parse(read('package.json')) as { main: string; homepage?: string; author?: { email?: string } };
    expect(config).toMatchObject({
      appId: 'dev.pipewright.app',
      productName: 'Pipewright',
      linux: { target: ['AppImage', 'deb'] },
      mac: { target: ['dmg'] },
      win: { target: ['nsis'] },
    });
    expect(config.extraMetadata.main).toBe(packageJson.main);
    expect(read('scripts/build.mjs')).toContain("'main.cjs'");
    // The deb target refuses to build without these.
    expect(packageJson.homepage).toBeTruthy();
    expect(packageJson.author?.email).toBeTruthy();
  });

  it('has a 1024x1024 PNG icon', () => {
    const png = readFileSync(path.join(root, config.linux.icon));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
  });
});
