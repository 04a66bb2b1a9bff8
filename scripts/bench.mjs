#!/usr/bin/env node
// `npm run bench [-- WORD...]`: runs every test/bench/*.bench.ts (or those whose name holds a WORD).
// Each module exports `run(): Promise<{ name, value, unit }[]>`; the figures are printed and merged by
// name into test-results/bench.json, so one section can be rerun without losing the others.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'test', 'bench');
const outFile = join(root, 'test-results', 'bench.json');
const words = process.argv.slice(2);

const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts') && (words.length === 0 || words.some((w) => f.includes(w))))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark in test/bench matches ${words.join(', ')}`);
  process.exit(1);
}

const figures = new Map();
if (existsSync(outFile)) {
  for (const f of JSON.parse(readFileSync(outFile, 'utf8'))) figures.set(f.name, f);
}

let failed = false;
for (const file of files) {
  console.log(`\n== ${file}`);
  try {
    const mod = await tsImport(pathToFileURL(join(benchDir, file)).href, import.meta.url);
    if (typeof mod.run !== 'function') throw new Error('exports no run() function');
    for (const { name, value, unit } of await mod.run()) {
      console.log(`${name}: ${value} ${unit}`);
      figures.set(name, { name, value, unit });
    }
  } catch (error) {
    failed = true;
    console.error(`${file} failed: ${error instanceof Error ? error.stack : error}`);
  }
}

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify([...figures.values()], null, 2)}\n`);
console.log(`\nwrote ${figures.size} figures to ${outFile}`);
process.exit(failed ? 1 : 0);
